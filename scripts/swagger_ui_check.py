"""Swagger UI's "Try it out" on an upload operation, in a real headless Chromium.

Usage: swagger_ui_check.py BASE_URL (a fresh dev server). Logs a demo citizen in over the
API, authorises the bearer token in Swagger UI, opens `submit_petition`, picks
multipart/form-data, types the form JSON into the `data` field, chooses a PNG for `files`,
presses Execute and checks the answer Swagger UI shows: 201 with the one file listed.
"""
import json
import os
import struct
import sys
import tempfile
import urllib.request
import zlib

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/")


def call(method, path, body=None, token=None):
    req = urllib.request.Request(BASE + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def png_file():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    path = os.path.join(tempfile.mkdtemp(), "photo.png")
    with open(path, "wb") as f:
        f.write(png)
    return path


def main():
    token = call("POST", "/api/v1/auth/e-devlet/login", {"tckn": "10000000146", "password": "Kapi2026"})["access_token"]
    sector = call("GET", "/api/v1/reference/sectors")["items"][0]["id"]
    form = {"subject_address": {"same_as_residence": True}, "mobile": "5321000001",
            "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
            "education_level": "bachelor", "sector_id": sector,
            "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum."}
    op = "#operations-petitions-submit_petition"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(BASE + "/swagger-ui/")
        page.wait_for_selector(".opblock-tag", timeout=60000)
        # What the Authorize dialog does for the `bearer` scheme.
        page.evaluate("""t => window.ui.authActions.authorize({bearer: {name: 'bearer',
            schema: {type: 'http', scheme: 'bearer', bearerFormat: 'JWT'}, value: t}})""", token)
        page.goto(BASE + "/swagger-ui/#/petitions/submit_petition")
        page.wait_for_selector(op, timeout=60000)
        if not page.query_selector(op + " .try-out__btn"):
            page.click(op + " .opblock-summary")
        page.click(op + " .try-out__btn")
        page.select_option(op + " .body-param-content-type select", "multipart/form-data")
        page.fill(op + " .opblock-body textarea", json.dumps(form, ensure_ascii=False))
        page.set_input_files(op + " .opblock-body input[type=file]", png_file())
        page.click(op + " .execute")
        page.wait_for_selector(op + " .live-responses-table tbody .response-col_status", timeout=60000)
        # The answer's body is highlighted after the status appears: wait until it is whole.
        page.wait_for_function(
            "sel => (document.querySelector(sel)?.innerText || '').includes('}')",
            arg=op + " .live-responses-table tbody .response-col_description", timeout=60000)
        page.wait_for_timeout(500)
        status = page.inner_text(op + " .live-responses-table tbody .response-col_status").strip()
        curl = page.inner_text(op + " .curl-command")
        shown = page.inner_text(op + " .live-responses-table tbody .response-col_description")
        browser.close()
    print(curl)
    if status != "201":
        sys.exit(f"swagger-ui: Try it out answered {status}, not 201:\n{shown}")
    body_text = shown[shown.index("{"):shown.rindex("}") + 1]
    body = json.loads(body_text)
    if len(body.get("files", [])) != 1:
        sys.exit(f"swagger-ui: the petition should carry the one file sent:\n{body_text}")
    print(f"swagger-ui: Try it out on submit_petition sent multipart (data + files) → 201, tracking no {body['tracking_no']}")


if __name__ == "__main__":
    main()
