"""Open311 GeoReport v2 with third-party clients against a started Kapı dev server.

Usage: open311_client.py BASE_URL (run by scripts/open311-client.sh in a venv that has
georeport and civicbot). Each step prints one line; any failure raises and exits 1.
"""
import datetime
import json
import sys
import urllib.request

import requests
import xmltodict
from civicbot import Endpoint, Open311Client
from georeport import GeoReport

BASE = sys.argv[1].rstrip("/")
ROOT = f"{BASE}/open311/v2"
JURISDICTION = "kapi.gov.tr"


def step(text):
    print(f"open311-client: {text}", flush=True)


def api(method, path, body=None, token=None):
    req = urllib.request.Request(f"{BASE}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def as_list(x):
    """xmltodict gives one child as a dict, several as a list."""
    return x if isinstance(x, list) else [x]


def main():
    # An integrator account and its API key, issued by the system administrator.
    admin = api("POST", "/api/v1/auth/staff/login", {"username": "admin", "password": "Kapi2026"})
    account = api("POST", "/api/v1/integrators", {"name": "Open311 client check"}, admin["access_token"])
    key = account["api_key"]
    step(f"integrator account {account['id']} issued an API key")

    # Discovery: neither client reads it, so plain HTTP (JSON, and XML via xmltodict).
    d = requests.get(f"{ROOT}/discovery.json", timeout=30)
    d.raise_for_status()
    endpoint = d.json()["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2"), endpoint
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}, endpoint
    dx = requests.get(f"{ROOT}/discovery.xml", timeout=30)
    dx.raise_for_status()
    assert dx.headers["Content-Type"].startswith("text/xml"), dx.headers
    formats = as_list(xmltodict.parse(dx.content)["discovery"]["endpoints"]["endpoint"]["formats"]["format"])
    assert "text/xml" in formats, formats
    step("discovery.json and discovery.xml (plain HTTP)")

    # georeport: services and a service definition, in JSON and in XML.
    defs = {}
    for fmt in ("json", "xml"):
        client = GeoReport(ROOT, jurisdiction=JURISDICTION, output_format=fmt)
        services = as_list(client.get_service_list())
        codes = [s["service_code"] for s in services]
        assert "H01.04" in codes and "DIGER.01" in codes, codes
        h0104 = next(s for s in services if s["service_code"] == "H01.04")
        assert str(h0104["metadata"]).lower() == "true", h0104
        definition = client.get_service_definition("H01.04")
        attributes = definition["attributes"]
        if fmt == "xml":
            attributes = as_list(attributes["attribute"])
        defs[fmt] = {a["code"]: a for a in attributes}
        assert str(defs[fmt]["tckn"]["required"]).lower() == "true", defs[fmt]["tckn"]
        step(f"georeport ({fmt}): {len(services)} services, H01.04 with {len(attributes)} attributes")
    xml_sectors = as_list(defs["xml"]["sector"]["values"]["value"])
    assert [v["key"] for v in xml_sectors] == [v["key"] for v in defs["json"]["sector"]["values"]]
    sector = defs["json"]["sector"]["values"][0]["key"]

    # civicbot: POST requests.json with api_key (it checks the form against the live
    # service definition first), then the token and the request; page_size is its extension.
    bot = Open311Client(Endpoint(id="kapi", name="Kapı", base_url=ROOT, write=True),
                        jurisdiction_id=JURISDICTION)
    sent = bot.create_request(
        "H01.04", dry_run=False, confirm="SEND", api_key=key, validate_remote=True,
        lat=39.92, lng=32.85,
        address_string="Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5",
        description="Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum.",
        first_name="Ayşe", last_name="Yılmaz", phone="5321000001", email="ayse@ornek.com.tr",
        attributes={"tckn": "10000000146", "mother_maiden_first_letter": "K",
                    "mother_maiden_last_letter": "A", "province": "6", "district": "6007",
                    "neighbourhood": "60070001", "education_level": "bachelor", "sector": sector})
    created = sent.response[0]
    request_id, token = created["service_request_id"], created["token"]
    assert request_id and token, created
    step(f"civicbot: POST requests.json with api_key -> service_request_id {request_id}, token {token}")
    resolved = bot.get_token(token)
    assert resolved[0]["service_request_id"] == request_id, resolved
    one = bot.get_request(request_id)
    assert one["status"] == "open" and one["service_code"] == "H01.04", one
    listed = bot.list_requests(service_request_ids=[request_id], page_size=10)
    assert [r["service_request_id"] for r in listed] == [request_id], listed
    step("civicbot: tokens/{token}.json, requests/{id}.json, requests.json?page_size=10")

    # georeport: the request and the list, in JSON and in XML.
    today = datetime.date.today()
    start = (today - datetime.timedelta(days=2)).strftime("%Y-%m-%dT00:00:00Z")
    end = (today + datetime.timedelta(days=2)).strftime("%Y-%m-%dT00:00:00Z")
    for fmt in ("json", "xml"):
        client = GeoReport(ROOT, jurisdiction=JURISDICTION, output_format=fmt)
        r = client.get_service_request(request_id)
        assert r["service_request_id"] == request_id and r["status"] == "open", r
        assert "first_name" not in r and "description" not in r, r
        rs = as_list(client.get_service_requests(service_code="H01.04", status="open",
                                                 start_date=start, end_date=end))
        assert request_id in [x["service_request_id"] for x in rs], rs
        step(f"georeport ({fmt}): requests/{request_id}.{fmt} and requests.{fmt} with filters")

    # POST and token in XML: neither client does XML writes, so plain HTTP + xmltodict.
    px = requests.post(f"{ROOT}/requests.xml", timeout=30, data={
        "api_key": key, "jurisdiction_id": JURISDICTION, "service_code": "DIGER.01",
        "first_name": "MEHMET", "last_name": "Demir", "phone": "5321000002",
        "description": "Sokak köpekleri mahallede çocuklara saldırıyor, önlem alınmasını istiyorum.",
        "attribute[tckn]": "12345678950", "attribute[mother_maiden_first_letter]": "A",
        "attribute[mother_maiden_last_letter]": "n", "attribute[same_as_residence]": "true",
        "attribute[education_level]": "high_school", "attribute[sector]": sector,
        "attribute[heading_description]": "Sokak hayvanları"})
    assert px.status_code == 201, px.text
    made = xmltodict.parse(px.content)["service_requests"]["request"]
    tx = requests.get(f"{ROOT}/tokens/{made['token']}.xml", timeout=30)
    tx.raise_for_status()
    assert xmltodict.parse(tx.content)["service_requests"]["request"]["service_request_id"] == made["service_request_id"]
    step(f"POST requests.xml and tokens/{{token}}.xml (plain HTTP) -> {made['service_request_id']}")

    # An error as a client sees it: georeport raises on the 404; the body is Open311's.
    try:
        GeoReport(ROOT, output_format="xml").get_service_request("999999")
        raise AssertionError("an unknown request did not fail")
    except requests.HTTPError as e:
        assert e.response.status_code == 404
        error = xmltodict.parse(e.response.content)["errors"]["error"]
        assert error["code"] == "404" and "open311.request_not_found" in error["description"], error
    step("an unknown request: 404 with <errors><error>")
    print("open311-client: 2 clients (georeport, civicbot), every step passed")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - any failure fails the run
        print(f"open311-client: FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
