#!/usr/bin/env python3
"""Writes postman/kapi.postman_collection.json (Postman v2.1).

The collection is generated so that every request carries the same kind of checks without
copy-paste: status, content type, and the fields that matter. Run `python3 postman/build_collection.py`
after changing it; CI runs the JSON with newman (`make postman`). QA teams import the JSON.
"""
import json
import pathlib

OUT = pathlib.Path(__file__).with_name("kapi.postman_collection.json")


def script(lines):
    return [{"listen": "test", "script": {"type": "text/javascript", "exec": lines}}]


def pre(lines):
    return {"listen": "prerequest", "script": {"type": "text/javascript", "exec": lines}}


def req(name, method, path, status, checks=(), body=None, token=None, headers=None, prereq=None, raw_body=None, content_type="application/json"):
    """One request with tests: status code, content type, and `checks` (JS lines using `j` = parsed JSON)."""
    url = "{{baseUrl}}" + path
    hdrs = []
    if token:
        hdrs.append({"key": "Authorization", "value": "Bearer {{" + token + "}}"})
    for k, v in (headers or {}).items():
        hdrs.append({"key": k, "value": v})
    request = {"method": method, "header": hdrs, "url": url}
    if body is not None or raw_body is not None:
        hdrs.append({"key": "Content-Type", "value": content_type})
        request["body"] = {"mode": "raw", "raw": raw_body if raw_body is not None else json.dumps(body, ensure_ascii=False, indent=2)}
    problem = status >= 400
    ctype = "application/problem+json" if problem else "application/json"
    test = [
        f"pm.test('status is {status}', () => pm.response.to.have.status({status}));",
    ]
    if status != 204 and status != 308:
        test += [
            f"pm.test('content type is {ctype}', () => pm.expect(pm.response.headers.get('Content-Type') || '').to.include('{ctype}'));",
            "const j = pm.response.json();",
        ]
    test.append("pm.test('has a request id', () => pm.expect(pm.response.headers.get('X-Request-Id')).to.be.a('string'));")
    test += list(checks)
    item = {"name": name, "request": request, "event": script(test)}
    if prereq:
        item["event"].append(pre(prereq))
    return item


def problem(code, field=None):
    lines = [f"pm.test('problem code is {code}', () => pm.expect(j.code).to.eql('{code}'));"]
    if field:
        lines.append(f"pm.test('names the field {field}', () => pm.expect(j.errors.map(e => e.field)).to.include('{field}'));")
    return lines


def paged(min_total=0):
    return [
        "pm.test('is a page', () => { pm.expect(j.items).to.be.an('array'); pm.expect(j.page).to.be.a('number'); pm.expect(j.per_page).to.be.a('number'); pm.expect(j.total).to.be.a('number'); });",
        f"pm.test('total is at least {min_total}', () => pm.expect(j.total).to.be.at.least({min_total}));",
    ]


health = [
    req("Liveness", "GET", "/health/live", 200, ["pm.test('ok', () => pm.expect(j.status).to.eql('ok'));"]),
    req("Readiness", "GET", "/health/ready", 200, ["pm.test('database named', () => pm.expect(['sqlite', 'postgresql']).to.include(j.database));"]),
]

auth = [
    req("Staff login (admin)", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.test('system admin', () => pm.expect(j.actor.kind).to.eql('system_admin'));",
         "pm.collectionVariables.set('adminToken', j.access_token);"],
        body={"username": "admin", "password": "Kapi2026"}),
    req("Staff login (province administrator)", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.test('province admin of Ankara', () => { pm.expect(j.actor.kind).to.eql('province_admin'); pm.expect(j.actor.scope.province).to.eql(6); });",
         "pm.collectionVariables.set('provinceAdminToken', j.access_token);"],
        body={"username": "ankara.valilik", "password": "Kapi2026"}),
    req("Citizen login (e-Devlet)", "POST", "/api/v1/auth/e-devlet/login", 200,
        ["pm.test('citizen', () => pm.expect(j.actor.kind).to.eql('citizen'));",
         "pm.test('name from the registry', () => pm.expect(j.display_name).to.eql('Ayşe Yılmaz'));",
         "pm.collectionVariables.set('citizenToken', j.access_token);"],
        body={"tckn": "10000000146", "password": "Kapi2026"}),
    req("Wrong password is 401", "POST", "/api/v1/auth/staff/login", 401, problem("auth.invalid_credentials"),
        body={"username": "admin", "password": "wrong-password-1"}),
    req("Invalid TCKN is 422", "POST", "/api/v1/auth/e-devlet/login", 422, problem("validation.failed", "tckn") +
        ["pm.test('checksum code', () => pm.expect(j.errors[0].code).to.eql('tckn.checksum'));"],
        body={"tckn": "10000000147", "password": "Kapi2026"}),
    req("Who am I", "GET", "/api/v1/auth/me", 200,
        ["pm.test('citizen scope', () => pm.expect(j.actor.scope.tckn).to.eql('10000000146'));"], token="citizenToken"),
    req("No token is 401", "GET", "/api/v1/auth/me", 401, problem("auth.missing_token")),
    req("Bad token is 401", "GET", "/api/v1/auth/me", 401, problem("auth.invalid_token"), headers={"Authorization": "Bearer not.a.token"}),
    req("Send a code by SMS", "POST", "/api/v1/auth/otp", 201,
        ["pm.test('masked destination', () => pm.expect(j.destination).to.match(/^\\*+\\d{4}$/));",
         "pm.collectionVariables.set('otpChallengeId', j.id);"],
        body={"channel": "sms", "destination": "{{otpPhone}}", "purpose": "contact_verification"}, token="citizenToken",
        prereq=["const n = '5' + String(Math.floor(Math.random() * 1e9)).padStart(9, '0');",
                "pm.collectionVariables.set('otpPhone', n);"]),
    req("Read the code from the dev outbox", "GET", "/api/v1/dev/outbox?recipient={{otpPhone}}&limit=1", 200,
        ["pm.test('one message', () => pm.expect(j.length).to.eql(1));",
         "const code = j[0].body.match(/\\b\\d{6}\\b/)[0];",
         "pm.collectionVariables.set('otpCode', code);",
         "pm.collectionVariables.set('otpWrongCode', code === '000000' ? '111111' : '000000');"]),
    req("Wrong code is 422", "POST", "/api/v1/auth/otp/{{otpChallengeId}}/verify", 422, problem("validation.failed", "code"),
        body={"code": "{{otpWrongCode}}"}, token="citizenToken"),
    req("Right code verifies the number", "POST", "/api/v1/auth/otp/{{otpChallengeId}}/verify", 200,
        ["pm.test('destination', () => pm.expect(j.destination).to.eql(pm.collectionVariables.get('otpPhone')));"],
        body={"code": "{{otpCode}}"}, token="citizenToken"),
    req("A used code is 409", "POST", "/api/v1/auth/otp/{{otpChallengeId}}/verify", 409, problem("otp.already_used"),
        body={"code": "{{otpCode}}"}, token="citizenToken"),
]

reference = [
    req("Provinces (81)", "GET", "/api/v1/reference/provinces", 200, paged(81) +
        ["pm.test('81 provinces', () => pm.expect(j.total).to.eql(81));"]),
    req("Province search with the Turkish fold", "GET", "/api/v1/reference/provinces?q=sanliurfa", 200,
        ["pm.test('Şanlıurfa', () => { pm.expect(j.items[0].name).to.eql('Şanlıurfa'); pm.expect(j.items[0].code).to.eql(63); });"]),
    req("One province", "GET", "/api/v1/reference/provinces/6", 200, ["pm.test('Ankara', () => pm.expect(j.name).to.eql('Ankara'));"]),
    req("Unknown province is 404", "GET", "/api/v1/reference/provinces/99", 404, problem("province.not_found")),
    req("Districts of Ankara", "GET", "/api/v1/reference/provinces/6/districts", 200, paged(20) +
        ["pm.test('has Çankaya', () => pm.expect(j.items.map(d => d.name)).to.include('Çankaya'));",
         "pm.collectionVariables.set('districtCode', j.items.find(d => d.name === 'Keçiören').code);"]),
    req("Neighbourhoods of a district", "GET", "/api/v1/reference/districts/{{districtCode}}/neighbourhoods?per_page=5", 200, paged(5) +
        ["pm.test('five on the page', () => pm.expect(j.items.length).to.eql(5));"]),
    req("Occupations by name", "GET", "/api/v1/reference/occupations?q=yazilim", 200, paged(1) +
        ["pm.test('Yazılım …', () => j.items.forEach(o => pm.expect(o.name).to.include('Yazılım')));"]),
    req("One occupation", "GET", "/api/v1/reference/occupations/2512.04", 200, ["pm.test('code', () => pm.expect(j.code).to.eql('2512.04'));"]),
    req("Bad paging is 422", "GET", "/api/v1/reference/occupations?per_page=500", 422, problem("validation.failed", "per_page")),
    req("Education levels", "GET", "/api/v1/reference/education-levels", 200, paged(5)),
    req("Countries", "GET", "/api/v1/reference/countries?q=almanya", 200, ["pm.test('DE', () => pm.expect(j.items[0].code).to.eql('DE'));"]),
    req("Service headings", "GET", "/api/v1/reference/service-headings", 200, paged(10) +
        ["pm.test('Diğer exists', () => pm.expect(j.items.map(h => h.code)).to.include('DIGER'));"]),
    req("DETSİS units", "GET", "/api/v1/reference/detsis-units?q=milli%20egitim&province=6", 200, paged(1) +
        ["pm.collectionVariables.set('detsisNo', j.items[0].detsis_no);"]),
    req("One DETSİS unit", "GET", "/api/v1/reference/detsis-units/{{detsisNo}}", 200,
        ["pm.test('same unit', () => pm.expect(j.detsis_no).to.eql(pm.collectionVariables.get('detsisNo')));"]),
]

sectors = [
    req("List sectors", "GET", "/api/v1/reference/sectors", 200, paged(2) +
        ["pm.test('first is Çalışmıyor', () => pm.expect(j.items[0].name).to.eql('Çalışmıyor'));"]),
    req("Create a sector (admin)", "POST", "/api/v1/admin/sectors", 201,
        ["pm.test('ETag', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"1\"'));",
         "pm.test('Location', () => pm.expect(pm.response.headers.get('Location')).to.include(j.id));",
         "pm.collectionVariables.set('sectorId', j.id);",
         "pm.collectionVariables.set('sectorEtag', pm.response.headers.get('ETag'));"],
        body={"name": "Deneme Sektörü {{runId}}"}, token="adminToken",
        prereq=["pm.collectionVariables.set('runId', String(Date.now()));"]),
    req("Citizen cannot create (403)", "POST", "/api/v1/admin/sectors", 403, problem("sector.admin_only"),
        body={"name": "Yetkisiz {{runId}}"}, token="citizenToken"),
    req("Province administrator cannot create (403)", "POST", "/api/v1/admin/sectors", 403, problem("sector.admin_only"),
        body={"name": "Yetkisiz {{runId}}"}, token="provinceAdminToken"),
    req("Duplicate after Turkish fold (422)", "POST", "/api/v1/admin/sectors", 422, problem("validation.failed", "name") +
        ["pm.test('name taken', () => pm.expect(j.errors[0].code).to.eql('sector.name_taken'));"],
        body={"name": "DENEME SEKTÖRÜ {{runId}}"}, token="adminToken"),
    req("Get the sector", "GET", "/api/v1/reference/sectors/{{sectorId}}", 200,
        ["pm.test('ETag matches', () => pm.expect(pm.response.headers.get('ETag')).to.eql(pm.collectionVariables.get('sectorEtag')));"]),
    req("Stale If-Match is 412", "PATCH", "/api/v1/admin/sectors/{{sectorId}}", 412, problem("precondition.version_mismatch"),
        body={"name": "Yeni Ad {{runId}}"}, token="adminToken", headers={"If-Match": "\"999\""}),
    req("Rename and move with If-Match", "PATCH", "/api/v1/admin/sectors/{{sectorId}}", 200,
        ["pm.test('renamed', () => pm.expect(j.name).to.eql('Yeni Ad ' + pm.collectionVariables.get('runId')));",
         "pm.test('moved to 1', () => pm.expect(j.position).to.eql(1));",
         "pm.test('new ETag', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"' + j.version + '\"'));",
         "pm.collectionVariables.set('sectorEtag', pm.response.headers.get('ETag'));"],
        body={"name": "Yeni Ad {{runId}}", "position": 1}, token="adminToken", headers={"If-Match": "{{sectorEtag}}"}),
    req("Delete with If-Match", "DELETE", "/api/v1/admin/sectors/{{sectorId}}", 204, token="adminToken", headers={"If-Match": "{{sectorEtag}}"}),
    req("Deleted sector is 404", "GET", "/api/v1/reference/sectors/{{sectorId}}", 404, problem("sector.not_found")),
    req("History outlives the sector", "GET", "/api/v1/admin/sectors/{{sectorId}}/history", 200, paged(3) +
        ["pm.test('created, updated, deleted', () => pm.expect(j.items.map(e => e.to_state)).to.eql(['active', 'active', 'deleted']));"],
        token="adminToken"),
    req("History is for administrators (403)", "GET", "/api/v1/admin/sectors/{{sectorId}}/history", 403, problem("sector.admin_only"),
        token="citizenToken"),
]

bad_input = [
    req("Malformed JSON is 400", "POST", "/api/v1/auth/staff/login", 400, problem("request.malformed_json"), raw_body="{\"username\": "),
    req("Not JSON is 415", "POST", "/api/v1/auth/staff/login", 415, problem("request.unsupported_media_type"),
        raw_body="username=admin", content_type="text/plain"),
    req("Unknown field is 422", "POST", "/api/v1/auth/staff/login", 422, problem("validation.failed", "role"),
        body={"username": "admin", "password": "Kapi2026", "role": "system_admin"}),
    req("Unknown route is 404", "GET", "/api/v1/nothing-here", 404, problem("not_found")),
]

dev = [
    req("Read the clock", "GET", "/api/v1/dev/clock", 200, ["pm.test('mode', () => pm.expect(['real', 'fixed', 'offset']).to.include(j.mode));"]),
    req("Shift the clock", "PUT", "/api/v1/dev/clock", 200, ["pm.test('offset', () => pm.expect(j.offset_seconds).to.eql(0));"],
        body={"offset_seconds": 0}),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, ["pm.test('real', () => pm.expect(j.mode).to.eql('real'));"]),
    req("Outbox", "GET", "/api/v1/dev/outbox?limit=5", 200, ["pm.test('array', () => pm.expect(j).to.be.an('array'));"]),
]

collection = {
    "info": {
        "name": "Kapı API",
        "description": "Every Kapı operation with tests. Run against a dev-profile server: `make postman`, or import with postman/kapi.postman_environment.json. Generated by postman/build_collection.py.",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "variable": [{"key": k, "value": ""} for k in [
        "adminToken", "citizenToken", "provinceAdminToken", "sectorId", "sectorEtag", "runId",
        "otpPhone", "otpChallengeId", "otpCode", "otpWrongCode", "districtCode", "detsisNo"]],
    "item": [
        {"name": "health", "item": health},
        {"name": "auth", "item": auth},
        {"name": "reference", "item": reference},
        {"name": "sectors", "item": sectors},
        {"name": "bad input", "item": bad_input},
        {"name": "dev (absent in prod)", "item": dev},
    ],
}

OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({sum(len(f['item']) for f in collection['item'])} requests)")
