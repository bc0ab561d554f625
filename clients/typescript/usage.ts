// What an integrator writes against the published contract: openapi-fetch over the types
// openapi-typescript generates from openapi/openapi.json (scripts/clients.sh puts them in
// ./schema.d.ts). `tsc --strict --noEmit` over this file fails when the spec lies about a
// path, a body, a parameter or an answer used here. It is type-checked, never run.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Province = components["schemas"]["ProvinceView"];

export async function tour(baseUrl: string, pdf: Blob): Promise<void> {
  const client = createClient<paths>({ baseUrl });

  // A public list, with a query parameter.
  const provinces = await client.GET("/api/v1/reference/provinces", {
    params: { query: { q: "an" } },
  });
  if (provinces.data) {
    const first: Province | undefined = provinces.data.items[0];
    const label: string = `${first?.code ?? 0} ${first?.name ?? ""}`;
    const total: number = provinces.data.total;
    console.log(label, total);
  }

  // A login: the token and its expiry.
  const login = await client.POST("/api/v1/auth/staff/login", {
    body: { username: "admin", password: "Kapi2026" },
  });
  if (!login.data) {
    const problem = login.error;
    console.log(problem?.code, problem?.status);
    return;
  }
  const token: string = login.data.access_token;
  const expiresIn: number = login.data.expires_in;
  const auth = { Authorization: `Bearer ${token}` };

  // An authenticated GET.
  const me = await client.GET("/api/v1/auth/me", { headers: auth });
  const kind: string | undefined = me.data?.actor.kind;
  console.log(kind, expiresIn);

  // A multipart upload: the JSON in a `data` part, the file in a `files` part.
  const id = "0194f3c2-6c1e-7d2a-9b43-2f1c0a6e5d11";
  const upload = await client.POST("/api/v1/work-permits/{id}/files", {
    params: { path: { id } },
    headers: auth,
    body: { data: { kind: "pdf" }, files: [pdf] },
    bodySerializer(body) {
      const form = new FormData();
      form.append("data", new Blob([JSON.stringify(body.data)], { type: "application/json" }));
      for (const file of body.files) {
        form.append("files", file, "belge.pdf");
      }
      return form;
    },
  });
  const sha256: string | undefined = upload.data?.sha256;

  // A PDF download, read as a Blob.
  const petition = await client.GET("/api/v1/work-permits/{id}/petition", {
    params: { path: { id } },
    headers: auth,
    parseAs: "blob",
  });
  const file: Blob | undefined = petition.data;
  console.log(sha256, file?.size);
}
