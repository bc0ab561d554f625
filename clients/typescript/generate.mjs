// openapi-typescript's Node API, as its documentation shows for file uploads: `format: binary`
// (and `contentMediaType`) strings become `Blob`, so a multipart body carries real files.
// Usage: node generate.mjs <spec.json> <out.d.ts>. Anything the generator logs is echoed; the
// calling script fails on warnings.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import openapiTS, { astToString } from "openapi-typescript";

const [specPath, outPath] = process.argv.slice(2);
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const ast = await openapiTS(pathToFileURL(path.resolve(specPath)), {
  transform(schemaObject) {
    if (schemaObject.format === "binary" || schemaObject.contentMediaType) {
      return BLOB;
    }
    return undefined;
  },
});
fs.writeFileSync(outPath, astToString(ast));
