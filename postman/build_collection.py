#!/usr/bin/env python3
"""Writes postman/kapi.postman_collection.json (Postman v2.1).

The collection is generated so that every request carries the same kind of checks without
copy-paste: status, content type, and the fields that matter. Run `python3 postman/build_collection.py`
after changing it; CI runs the JSON with newman (`make postman`). QA teams import the JSON.
"""
import json
import pathlib
import re
import urllib.parse

OUT = pathlib.Path(__file__).with_name("kapi.postman_collection.json")


def script(lines):
    return [{"listen": "test", "script": {"type": "text/javascript", "exec": lines}}]


def pre(lines):
    return {"listen": "prerequest", "script": {"type": "text/javascript", "exec": lines}}


def req(name, method, path, status, checks=(), body=None, token=None, headers=None, prereq=None, raw_body=None, content_type="application/json",
        ctype=None, form=None):
    """One request with tests: status code, content type, and `checks` (JS lines using `j` = parsed JSON).

    `ctype` overrides the expected answer type (JSON-LD, Open311's JSON errors); `form` sends
    `application/x-www-form-urlencoded` pairs, as Open311 clients do."""
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
    if form is not None:
        request["body"] = {"mode": "urlencoded", "urlencoded": [{"key": k, "value": v} for k, v in form]}
    problem = status >= 400
    ctype = ctype or ("application/problem+json" if problem else "application/json")
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
    req("Work-permit fees in force on a day", "GET", "/api/v1/reference/work-permit-fees?on=2026-06-01", 200, paged(3) +
        ["pm.test('accounts 9130 and 9267', () => { pm.expect(j.items[0].permit_fee_account).to.eql('9130'); pm.expect(j.items[0].card_fee_account).to.eql('9267'); });",
         "pm.test('2026 one-year fee', () => pm.expect(j.items[0].permit_fee).to.eql('13025.55'));"]),
    req("Work-permit fees: a bad day names `on`", "GET", "/api/v1/reference/work-permit-fees?on=01.06.2026", 422, problem("validation.failed", "on")),
    req("Termination reasons", "GET", "/api/v1/reference/termination-reasons", 200, paged(1)),
    req("Work-permit document types", "GET", "/api/v1/reference/work-permit-document-types", 200, paged(1)),
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

# İŞKUR: every run registers its own employers (VKN and SGK numbers from the run's random
# digits), so the folder also passes against a server that has seen earlier runs.
EMPLOYER_PREREQ = [
    "function vkn(nine) { let sum = 0; for (let i = 0; i < 9; i++) { const tmp = (Number(nine[i]) + 9 - i) % 10; let v = (tmp * Math.pow(2, 9 - i)) % 9; if (tmp !== 0 && v === 0) v = 9; sum += v; } return nine + ((10 - sum % 10) % 10); }",
    "const seed = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');",
    "pm.collectionVariables.set('empSeed', seed);",
    "pm.collectionVariables.set('empVkn', vkn('1' + seed));",
    "pm.collectionVariables.set('otherVkn', vkn('2' + seed));",
]


def workplace(n, province, district):
    return {"title": f"Postman İşyeri {n} {{{{empSeed}}}}", "sgk_no": "2512001010000" + str(n) + "{{empSeed}}",
            "province": province, "district_code": district, "address": "Demo Cad. No:5"}


def membership(vkn_var, n, person):
    return {"terms_accepted": True, "title": f"Postman İşveren {n} {{{{empSeed}}}} A.Ş.", "vkn": "{{" + vkn_var + "}}",
            "sector": "private", "address": "Kızılay Mah. Atatürk Bulvarı No:1 Çankaya/Ankara",
            "head_office": workplace(n, 6, 6007),
            "person": {"tckn": person, "mobile": "5321234567", "email": "yetkili@example.com", "password": "Kapi2026",
                       "secret_question": "İlk okulum?", "secret_answer": "Atatürk"}}


employers = [
    req("Become a member employer", "POST", "/api/v1/employers", 201,
        ["pm.test('head office', () => pm.expect(j.head_office.kind).to.eql('head_office'));",
         "pm.test('İŞKUR number', () => pm.expect(j.employer.iskur_no).to.match(/^\\d{8}$/));",
         "pm.collectionVariables.set('employerId', j.employer.id);",
         "pm.collectionVariables.set('headOfficeId', j.head_office.id);"],
        body=membership("empVkn", 1, "12345678950"), prereq=EMPLOYER_PREREQ),
    req("Same VKN again is 409", "POST", "/api/v1/employers", 409, problem("employer.exists"),
        body=membership("empVkn", 2, "12345678950")),
    req("Terms not accepted, unknown person (422)", "POST", "/api/v1/employers", 422, problem("validation.failed", "terms_accepted") +
        ["pm.test('person not in registry', () => pm.expect(j.errors.map(e => e.code)).to.include('employer.person_not_in_registry'));"],
        body={**membership("otherVkn", 3, "11111111110"), "terms_accepted": False}),
    req("Another employer (for isolation)", "POST", "/api/v1/employers", 201,
        ["pm.collectionVariables.set('otherHeadOfficeId', j.head_office.id);",
         "pm.collectionVariables.set('otherEmployerId', j.employer.id);"],
        body=membership("otherVkn", 4, "34567890170")),
    req("Employer login", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.test('employer user', () => pm.expect(j.actor.kind).to.eql('employer_user'));",
         "pm.test('admin', () => pm.expect(j.actor.scope.permissions.admin).to.eql(true));",
         "pm.collectionVariables.set('employerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("Other employer login", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.collectionVariables.set('otherEmployerToken', j.access_token);"],
        body={"tckn": "34567890170", "password": "Kapi2026", "employer_id": "{{otherEmployerId}}"}),
    req("Wrong employer password is 401", "POST", "/api/v1/auth/employer/login", 401, problem("auth.invalid_credentials"),
        body={"tckn": "12345678950", "password": "Yanlis1234"}),
    req("Add a branch in Ankara", "POST", "/api/v1/workplaces", 201,
        ["pm.test('branch of the head office', () => { pm.expect(j.kind).to.eql('branch'); pm.expect(j.head_office_id).to.eql(pm.collectionVariables.get('headOfficeId')); });",
         "pm.collectionVariables.set('branchId', j.id);"],
        body=workplace(5, 6, 6017), token="employerToken"),
    req("Add a workplace in İstanbul", "POST", "/api/v1/workplaces", 201,
        ["pm.test('head office of İstanbul', () => pm.expect(j.kind).to.eql('head_office'));",
         "pm.collectionVariables.set('istanbulId', j.id);"],
        body=workplace(6, 34, 34023), token="employerToken"),
    req("District outside the province (422)", "POST", "/api/v1/workplaces", 422, problem("validation.failed", "district_code"),
        body=workplace(7, 6, 34023), token="employerToken"),
    req("My workplaces", "GET", "/api/v1/workplaces?title=postman", 200, paged(3) +
        ["pm.test('only mine', () => j.items.forEach(w => pm.expect(w.employer_id).to.eql(pm.collectionVariables.get('employerId'))));"],
        token="employerToken"),
    req("One workplace", "GET", "/api/v1/workplaces/{{branchId}}", 200,
        ["pm.collectionVariables.set('branchEtag', pm.response.headers.get('ETag'));"], token="employerToken"),
    req("Update the branch with If-Match", "PATCH", "/api/v1/workplaces/{{branchId}}", 200,
        ["pm.test('phone normalised', () => pm.expect(j.phone).to.eql('5321234567'));",
         "pm.test('related person kept', () => pm.expect(j.related_persons[0].role).to.eql('İK Müdürü'));",
         "pm.test('other details kept', () => pm.expect(j.other.activity).to.eql('Depolama'));"],
        body={"title": "Keçiören Şubesi {{empSeed}}", "phone": "0532 123 45 67",
              "related_persons": [{"full_name": "Selin Aksoy", "role": "İK Müdürü", "email": "selin@example.com"}],
              "other": {"activity": "Depolama", "website": "https://www.example.com.tr"}}, token="employerToken",
        headers={"If-Match": "{{branchEtag}}"}),
    req("Another employer's workplace is 404", "GET", "/api/v1/workplaces/{{branchId}}", 404, problem("workplace.not_found"),
        token="otherEmployerToken"),
    req("Employer record", "GET", "/api/v1/employers/{{employerId}}", 200,
        ["pm.test('VKN', () => pm.expect(j.vkn).to.eql(pm.collectionVariables.get('empVkn')));"], token="employerToken"),
    req("Add a user with the chart flag", "POST", "/api/v1/employers/{{employerId}}/users", 201,
        ["pm.test('masked', () => pm.expect(j.tckn_masked).to.eql('*********60'));"],
        body={"tckn": "23456789060", "permissions": {"workforce_chart": True}}, token="employerToken"),
    req("Not a registered individual (422)", "POST", "/api/v1/employers/{{employerId}}/users", 422,
        problem("validation.failed", "tckn"), body={"tckn": "11111111110", "permissions": {}}, token="employerToken"),
    req("The employer's users", "GET", "/api/v1/employers/{{employerId}}/users", 200, paged(2) +
        ["pm.test('primary admin first', () => pm.expect(j.items[0].primary_admin).to.eql(true));"], token="employerToken"),
    req("The primary admin's roles cannot change (403)", "PATCH", "/api/v1/employers/{{employerId}}/users/12345678950", 403,
        problem("workplace_user.primary_admin"), body={"locked": True}, token="employerToken"),
    req("The user logs in (e-Devlet password)", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.test('only the chart flag', () => { pm.expect(j.actor.scope.permissions.workforce_chart).to.eql(true); pm.expect(j.actor.scope.permissions.admin).to.eql(false); });",
         "pm.collectionVariables.set('clerkToken', j.access_token);"],
        body={"tckn": "23456789060", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("Without the admin flag no workplaces are added (403)", "POST", "/api/v1/workplaces", 403, problem("workplace.admin_only"),
        body=workplace(8, 6, 6017), token="clerkToken"),
    req("Lock the user", "PATCH", "/api/v1/employers/{{employerId}}/users/23456789060", 200,
        ["pm.test('locked', () => pm.expect(j.locked).to.eql(true));"], body={"locked": True}, token="employerToken"),
    req("A locked user's token stops at once (403)", "GET", "/api/v1/workplaces", 403, problem("workplace_user.locked"),
        token="clerkToken"),
    req("Secret question after the mobile check", "POST", "/api/v1/auth/employer/secret-question", 200,
        ["pm.test('question', () => pm.expect(j.secret_question).to.eql('İlk okulum?'));"],
        body={"tckn": "12345678950", "mobile": "5321234567"}),
    req("Reset the password", "POST", "/api/v1/auth/employer/password-reset", 204,
        body={"tckn": "12345678950", "mobile": "5321234567", "secret_answer": "ATATÜRK", "new_password": "Yeni12345", "new_password_repeat": "Yeni12345"}),
    req("Log in with the new password", "POST", "/api/v1/auth/employer/login", 200, [],
        body={"tckn": "12345678950", "password": "Yeni12345", "employer_id": "{{employerId}}"}),
    req("Reset it back (demo password)", "POST", "/api/v1/auth/employer/password-reset", 204,
        body={"tckn": "12345678950", "mobile": "5321234567", "secret_answer": "atatürk", "new_password": "Kapi2026", "new_password_repeat": "Kapi2026"}),
    req("İŞKUR staff login", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.collectionVariables.set('iskurToken', j.access_token);"], body={"username": "iskur.ankara", "password": "Kapi2026"}),
    req("İŞKUR staff search by VKN", "GET", "/api/v1/workplaces?vkn={{empVkn}}", 200, paged(3), token="iskurToken"),
]


def chart_body(month_var, opening):
    body = {
        "month": "{{" + month_var + "}}",
        "development": [{"category": "general", "gender": "male", "contract": "indefinite", "hires": 1, "leavers": 0}],
        "details": [{"kind": "hire", "tckn": "10000000146", "full_name": "Ayşe Yılmaz", "date": "{{" + month_var + "}}-01",
                     "occupation_code": "2512.04"}],
        "occupations": [{"occupation_code": "2512.04", "count": 61 if opening else 62}],
        "intentions": {"joint_course_wish": True, "expected_change_next_month": 1},
        "hard_to_fill": [{"occupation_code": "7411.01", "count": 2}],
    }
    if opening:
        body["opening"] = [{"category": "general", "gender": "male", "contract": "indefinite", "count": 58},
                           {"category": "disabled", "gender": "female", "contract": "indefinite", "count": 2}]
    return body


MONTHS = [
    "const now = new Date(Date.now() + 3 * 3600 * 1000);",
    "const ym = d => d.toISOString().slice(0, 7);",
    "const prev = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));",
    "pm.collectionVariables.set('prevMonth', ym(prev));",
    "pm.collectionVariables.set('thisMonth', ym(now));",
]

charts = [
    req("New chart template (first chart)", "GET", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts/new", 200,
        ["pm.test('no month yet', () => pm.expect(j.month).to.eql(null));"], token="employerToken", prereq=MONTHS),
    req("Last month's chart (first, with opening counts)", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts", 201,
        ["pm.test('month-end computed', () => pm.expect(j.totals.month_end).to.eql(61));",
         "pm.collectionVariables.set('firstChartId', j.id);"],
        body=chart_body("prevMonth", True), token="employerToken"),
    req("A month out of sequence is 409", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts", 409, problem("chart.out_of_sequence"),
        body=chart_body("prevMonth", False), token="employerToken"),
    req("Sections that disagree (422, field named)", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts", 422,
        problem("validation.failed", "occupations"),
        body={**chart_body("thisMonth", False), "occupations": [{"occupation_code": "2512.04", "count": 1}]}, token="employerToken"),
    req("This month's chart (carried counts)", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts", 201,
        ["pm.test('previous carried', () => pm.expect(j.totals.previous).to.eql(61));",
         "pm.test('month-end', () => pm.expect(j.totals.month_end).to.eql(62));",
         "pm.collectionVariables.set('chartId', j.id);",
         "pm.collectionVariables.set('chartEtag', pm.response.headers.get('ETag'));"],
        body=chart_body("thisMonth", False), token="employerToken"),
    req("The older chart is read-only (409)", "PUT", "/api/v1/workforce-charts/{{firstChartId}}", 409, problem("chart.not_latest"),
        body=chart_body("prevMonth", True), token="employerToken"),
    req("Change the latest chart with If-Match", "PUT", "/api/v1/workforce-charts/{{chartId}}", 200,
        ["pm.test('version 2', () => pm.expect(j.version).to.eql(2));"],
        body=chart_body("thisMonth", False), token="employerToken", headers={"If-Match": "{{chartEtag}}"}),
    req("Charts of the workplace", "GET", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts", 200, paged(2) +
        ["pm.test('newest first and latest', () => { pm.expect(j.items[0].is_latest).to.eql(true); pm.expect(j.items[1].is_latest).to.eql(false); });"],
        token="employerToken"),
    req("One chart", "GET", "/api/v1/workforce-charts/{{chartId}}", 200,
        ["pm.test('six sections', () => ['development', 'details', 'occupations', 'exemptions', 'intentions', 'hard_to_fill'].forEach(k => pm.expect(j).to.have.property(k)));"],
        token="employerToken"),
    req("Chart history", "GET", "/api/v1/workforce-charts/{{chartId}}/history", 200, paged(2), token="employerToken"),
    req("Another employer's chart is 404", "GET", "/api/v1/workforce-charts/{{chartId}}", 404, problem("chart.not_found"),
        token="otherEmployerToken"),
    req("Quota status (Ankara, this month)", "GET", "/api/v1/workplaces/{{branchId}}/quota-status?month={{thisMonth}}", 200,
        ["pm.test('62 workers, obliged', () => { pm.expect(j.total_workers).to.eql(62); pm.expect(j.obliged).to.eql(true); });",
         "pm.test('3 % of 62 = 1.86 → 2 disabled, 2 employed', () => { const d = j.lines.find(l => l.category === 'disabled'); pm.expect(d.required).to.eql(2); pm.expect(d.employed).to.eql(2); pm.expect(d.status).to.eql('met'); });"],
        token="employerToken"),
    req("Quota status (İstanbul has no chart yet)", "GET", "/api/v1/workplaces/{{istanbulId}}/quota-status", 200,
        ["pm.test('not obliged', () => { pm.expect(j.total_workers).to.eql(0); pm.expect(j.obliged).to.eql(false); });"],
        token="employerToken"),
    req("Quota status for İŞKUR staff", "GET", "/api/v1/workplaces/{{headOfficeId}}/quota-status?month={{prevMonth}}", 200,
        ["pm.test('61 workers', () => pm.expect(j.total_workers).to.eql(61));"], token="iskurToken"),
]

survey_answers = {"previous_year_average_workforce": 60, "previous_year_hires": 12, "previous_year_leavers": 5,
                  "expected_workforce_next_year": 70, "expected_hires": [{"occupation_code": "2512.04", "count": 8}],
                  "hard_to_fill": [{"occupation_code": "7411.01", "count": 2}], "training_needs": ["Bilgi güvenliği"]}

survey_body = json.dumps({"year": "{{thisYear}}", "answers": survey_answers}, ensure_ascii=False, indent=2).replace('"{{thisYear}}"', "{{thisYear}}")

YEAR = ["pm.collectionVariables.set('thisYear', String(new Date(Date.now() + 3 * 3600 * 1000).getUTCFullYear()));"]

surveys = [
    req("A branch cannot file the survey (422)", "POST", "/api/v1/workplaces/{{branchId}}/annual-surveys", 422,
        problem("validation.failed", "workplace_id"), raw_body=survey_body,
        token="employerToken", prereq=YEAR),
    req("The head office files this year's survey", "POST", "/api/v1/workplaces/{{headOfficeId}}/annual-surveys", 201,
        ["pm.test('covers the Ankara branch', () => pm.expect(j.covered_workplaces).to.include(pm.collectionVariables.get('branchId')));",
         "pm.collectionVariables.set('surveyId', j.id);",
         "pm.collectionVariables.set('surveyEtag', pm.response.headers.get('ETag'));"],
        raw_body=survey_body, token="employerToken"),
    req("A second survey for the year is 409", "POST", "/api/v1/workplaces/{{headOfficeId}}/annual-surveys", 409,
        problem("survey.exists"), raw_body=survey_body, token="employerToken"),
    req("Change the survey with If-Match", "PUT", "/api/v1/annual-surveys/{{surveyId}}", 200,
        ["pm.test('changed', () => pm.expect(j.answers.expected_workforce_next_year).to.eql(75));"],
        body={**survey_answers, "expected_workforce_next_year": 75}, token="employerToken", headers={"If-Match": "{{surveyEtag}}"}),
    req("One survey", "GET", "/api/v1/annual-surveys/{{surveyId}}", 200, [], token="employerToken"),
    req("My surveys", "GET", "/api/v1/annual-surveys?year={{thisYear}}", 200, paged(1), token="employerToken"),
    req("Another employer's survey is 404", "GET", "/api/v1/annual-surveys/{{surveyId}}", 404, problem("survey.not_found"),
        token="otherEmployerToken"),
    req("Read a bulk personnel form (CSV)", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts/personnel-form?month={{thisMonth}}", 200,
        ["pm.test('one hire, one leave', () => { pm.expect(j.hires).to.eql(1); pm.expect(j.leavers).to.eql(1); });"],
        raw_body="Tür;TC Kimlik No;Ad Soyad;Tarih;Meslek Kodu;Neden\nGiriş;10000000146;Ayşe Yılmaz;{{thisMonth}}-05;2512.04;\nÇıkış;12345678950;Ali Veli;{{thisMonth}}-06;4110.01;Emeklilik\n",
        content_type="text/csv", token="employerToken"),
    req("A bad CSV row is named by line (422)", "POST", "/api/v1/workplaces/{{headOfficeId}}/workforce-charts/personnel-form?month={{thisMonth}}", 422,
        problem("validation.failed", "rows[2].tckn"),
        raw_body="kind,tckn,full_name,date,occupation_code\nhire,10000000147,Ali Veli,{{thisMonth}}-05,2512.04\n",
        content_type="text/csv", token="employerToken"),
]

layoff_body = {"layoff_date": "2099-12-31", "reason": "Siparişlerin azalması",
               "details": [{"workplace_id": "{{headOfficeId}}", "men": 6, "women": 3}]}

mass_layoffs = [
    req("Notify a mass layoff", "POST", "/api/v1/mass-layoffs", 201,
        ["pm.test('totals computed', () => pm.expect(j.notice.total).to.eql(9));",
         "pm.test('art. 29 advice', () => pm.expect(j.warnings.map(w => w.code)).to.include('below_art29_threshold'));",
         "pm.collectionVariables.set('layoffId', j.notice.id);",
         "pm.collectionVariables.set('layoffEtag', pm.response.headers.get('ETag'));"],
        body=layoff_body, token="employerToken"),
    req("Another employer's workplace (422)", "POST", "/api/v1/mass-layoffs", 422, problem("validation.failed", "details[0].workplace_id"),
        body={**layoff_body, "details": [{"workplace_id": "{{otherHeadOfficeId}}", "men": 1, "women": 0}]}, token="employerToken"),
    req("Add a detail within the month", "PUT", "/api/v1/mass-layoffs/{{layoffId}}", 200,
        ["pm.test('total 12', () => pm.expect(j.notice.total).to.eql(12));"],
        body={**layoff_body, "details": layoff_body["details"] + [{"workplace_id": "{{branchId}}", "men": 0, "women": 3}]},
        token="employerToken", headers={"If-Match": "{{layoffEtag}}"}),
    req("My notices", "GET", "/api/v1/mass-layoffs", 200, paged(1), token="employerToken"),
    req("İŞKUR view of all notices", "GET", "/api/v1/mass-layoffs", 200, paged(1), token="iskurToken"),
    req("Another employer's notice is 404", "GET", "/api/v1/mass-layoffs/{{layoffId}}", 404, problem("mass_layoff.not_found"),
        token="otherEmployerToken"),
    req("Move the clock 32 days ahead", "PUT", "/api/v1/dev/clock", 200, [], body={"offset_seconds": 32 * 86400}),
    req("Log in again under the moved clock", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.collectionVariables.set('employerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("A change after one month is 409", "PUT", "/api/v1/mass-layoffs/{{layoffId}}", 409, problem("mass_layoff.edit_window_closed"),
        body=layoff_body, token="employerToken"),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, []),
    req("Log in again in real time", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.collectionVariables.set('employerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("Notice history", "GET", "/api/v1/mass-layoffs/{{layoffId}}/history", 200, paged(2), token="employerToken"),
]


def file_req(name, path, media, token):
    """A file download: status 200, the media type, a non-empty body named as an attachment."""
    test = [
        "pm.test('status is 200', () => pm.response.to.have.status(200));",
        f"pm.test('content type is {media}', () => pm.expect(pm.response.headers.get('Content-Type') || '').to.include('{media}'));",
        "pm.test('an attachment', () => pm.expect(pm.response.headers.get('Content-Disposition') || '').to.include('attachment'));",
        "pm.test('not empty', () => pm.expect(pm.response.responseSize).to.be.above(500));",
    ]
    request = {"method": "GET", "header": [{"key": "Authorization", "value": "Bearer {{" + token + "}}"}], "url": "{{baseUrl}}" + path}
    return {"name": name, "request": request, "event": script(test)}


DEMAND_PREREQ = [
    "const d = new Date(Date.now() + 30 * 86400000 + 3 * 3600000);",
    "pm.collectionVariables.set('lastDate', d.toISOString().slice(0, 10));",
    "pm.collectionVariables.set('interviewAt', new Date(Date.now() + 3600000).toISOString().replace(/\\.\\d+Z$/, 'Z'));",
]


def demand_body(last="{{lastDate}}"):
    return {"workplace_id": "{{headOfficeId}}", "occupation_code": "8344.01", "worker_count": 1, "last_application_date": last,
            "requirements": {"min_education": "high_school", "max_age": 50, "licences": ["B"]},
            "details": {"position": "Forklift Operatörü {{empSeed}}", "field": "Lojistik", "description": "Vardiyalı depo operatörü {{empSeed}}",
                        "benefits": ["meal"], "wage_kurus": 3500000}}


def seeker(licence):
    return {"occupations": ["8344.01"], "education": [{"level": "high_school", "graduated_on": "2010-06-15"}],
            "licences": [{"class": "B", "issued_on": "2012-01-10"}] if licence else [], "military_status": "completed",
            "province": 6, "district_code": 6007}


def found(var="talepNo"):
    return paged(1) + [f"pm.test('finds the demand', () => pm.expect(j.items.map(i => i.talep_no)).to.include(Number(pm.collectionVariables.get('{var}'))));"]


cand = "/api/v1/labour-demands/{{demandId}}/candidates/{{candidateId}}"
labour_demands = [
    req("Open a detailed demand", "POST", "/api/v1/labour-demands", 201,
        ["pm.test('active with a talep no', () => { pm.expect(j.status).to.eql('active'); pm.expect(j.talep_no).to.be.a('number'); });",
         "pm.test('work address defaults to the workplace', () => pm.expect(j.details.work_address.district_code).to.eql(6007));",
         "pm.collectionVariables.set('demandId', j.id);", "pm.collectionVariables.set('talepNo', j.talep_no);"],
        body=demand_body(), token="employerToken", prereq=DEMAND_PREREQ),
    req("Open a quick demand", "POST", "/api/v1/labour-demands/quick", 201,
        ["pm.test('position from the occupation', () => pm.expect(j.details.position).to.eql('Büro Elemanı'));",
         "pm.collectionVariables.set('quickId', j.id);"],
        body={"workplace_id": "{{headOfficeId}}", "occupation_code": "4110.01", "worker_count": 2, "last_application_date": "{{lastDate}}"},
        token="employerToken"),
    req("Bad sections, all named (422)", "POST", "/api/v1/labour-demands", 422,
        problem("validation.failed", "worker_count") + ["pm.test('past date named', () => pm.expect(j.errors.map(e => e.field)).to.include('last_application_date'));"],
        body={**demand_body("2020-01-01"), "worker_count": 0}, token="employerToken"),
    req("Another employer's demand is 404", "GET", "/api/v1/labour-demands/{{demandId}}", 404, problem("labour_demand.not_found"),
        token="otherEmployerToken"),
    req("My demands", "GET", "/api/v1/labour-demands?status=active", 200, paged(2), token="employerToken"),
    req("Search: province and district", "GET", "/api/v1/open-jobs?mode=province_district&province=6&district_code=6007", 200, found()),
    req("Search: province and occupation", "GET", "/api/v1/open-jobs?mode=province_occupation&province=6&occupation_code=8344.01", 200, found()),
    req("Search: province, occupation, target group", "GET", "/api/v1/open-jobs?mode=province_occupation_target&province=6&occupation_code=8344.01&target_group=general", 200, found()),
    req("Search: quick", "GET", "/api/v1/open-jobs?mode=quick&province=6&sector=private&work_type=full_time", 200, found()),
    req("Search: detailed", "GET", "/api/v1/open-jobs?mode=detailed&occupation_code=8344.01&position=forklift%20operat%C3%B6r%C3%BC%20{{empSeed}}&field=LOJ%C4%B0ST%C4%B0K", 200, found()),
    req("Search: by talep no", "GET", "/api/v1/open-jobs?mode=talep_no&talep_no={{talepNo}}", 200, found()),
    req("Search: keyword (Turkish fold)", "GET", "/api/v1/open-jobs?mode=keyword&q=VARD%C4%B0YALI%20{{empSeed}}", 200, found()),
    req("A mode without its criterion (422)", "GET", "/api/v1/open-jobs?mode=province_occupation&province=6", 422,
        problem("validation.failed", "occupation_code")),
    req("The advert", "GET", "/api/v1/open-jobs/{{talepNo}}", 200,
        ["pm.test('asks for a B licence', () => pm.expect(j.requirements.licences).to.eql(['B']));"]),
    req("Job seeker login (e-Devlet)", "POST", "/api/v1/auth/e-devlet/login", 200,
        ["pm.collectionVariables.set('seekerToken', j.access_token);"], body={"tckn": "23456789060", "password": "Kapi2026"}),
    req("Save the job-seeker profile", "PUT", "/api/v1/job-seekers/me", 200,
        ["pm.test('name from the registry', () => pm.expect(j.first_name).to.eql('Zeynep'));"], body=seeker(True), token="seekerToken"),
    req("Second job seeker login", "POST", "/api/v1/auth/e-devlet/login", 200,
        ["pm.collectionVariables.set('oldSeekerToken', j.access_token);"], body={"tckn": "34567890170", "password": "Kapi2026"}),
    req("Second profile (no licence)", "PUT", "/api/v1/job-seekers/me", 200, [], body=seeker(False), token="oldSeekerToken"),
    req("Apply", "POST", "/api/v1/open-jobs/{{talepNo}}/applications", 201,
        ["pm.test('applied', () => pm.expect(j.origin).to.eql('applied'));"], token="seekerToken"),
    req("Unsuitable: every unmet criterion listed (422)", "POST", "/api/v1/open-jobs/{{talepNo}}/applications", 422,
        problem("eligibility.not_met") + ["pm.test('too old and no licence', () => pm.expect(j.errors.map(e => e.code)).to.eql(['eligibility.too_old', 'eligibility.licence']));"],
        token="oldSeekerToken"),
    req("Eleman Seç: ranked matches", "GET", "/api/v1/labour-demands/{{demandId}}/matches", 200, paged(0), token="employerToken"),
    req("Eleman Seç on the quick demand: the demo job seeker", "POST", "/api/v1/labour-demands/{{quickId}}/candidates", 201,
        ["pm.test('selected', () => pm.expect(j.items[0].origin).to.eql('selected'));"], body={"tckns": ["10000000146"]}, token="employerToken"),
    req("Selecting an unsuitable job seeker names the criterion (422)", "POST", "/api/v1/labour-demands/{{demandId}}/candidates", 422,
        problem("validation.failed", "tckns[0].requirements.max_age"), body={"tckns": ["34567890170"]}, token="employerToken"),
    req("Aday Gör: the candidate list", "GET", "/api/v1/labour-demands/{{demandId}}/candidates", 200,
        paged(1) + ["pm.collectionVariables.set('candidateId', j.items[0].id);"], token="employerToken"),
    req("Invite to an interview", "POST", cand + "/invitation", 200,
        ["pm.test('invited', () => pm.expect(j.stage).to.eql('invited'));"], body={"interview_at": "{{interviewAt}}", "place": "Genel Müdürlük"},
        token="employerToken"),
    req("The candidate accepts", "POST", cand + "/answer", 200, [], body={"answer": "accepted"}, token="employerToken"),
    req("Cancel after an invitation (409)", "POST", "/api/v1/labour-demands/{{demandId}}/cancel", 409,
        problem("labour_demand.candidates_invited"), body={}, token="employerToken"),
    req("No result before the interview (409)", "POST", cand + "/result", 409, problem("candidate.interview_not_held"),
        body={"result": "hired"}, token="employerToken"),
    req("Move the clock two hours ahead", "PUT", "/api/v1/dev/clock", 200, [], body={"offset_seconds": 7200}),
    req("Employer logs in again", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.collectionVariables.set('employerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("Hired: the demand is filled", "POST", cand + "/result", 200,
        ["pm.test('closed as filled', () => { pm.expect(j.demand.status).to.eql('closed'); pm.expect(j.demand.close_reason).to.eql('filled'); });"],
        body={"result": "hired"}, token="employerToken"),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, []),
    req("Applying to a closed demand (409)", "POST", "/api/v1/open-jobs/{{talepNo}}/applications", 409,
        problem("labour_demand.not_active"), token="oldSeekerToken"),
    req("Employer logs in in real time", "POST", "/api/v1/auth/employer/login", 200,
        ["pm.collectionVariables.set('employerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    file_req("Selection list (PDF)", "/api/v1/labour-demand-reports/selection?format=pdf", "application/pdf", "employerToken"),
    file_req("Referral list (Excel)", "/api/v1/labour-demand-reports/referral?format=xlsx&talep_no={{talepNo}}", "spreadsheetml", "employerToken"),
    file_req("Referral list (PDF)", "/api/v1/labour-demand-reports/referral?format=pdf&talep_no={{talepNo}}", "application/pdf", "employerToken"),
    file_req("Interview list (PDF)", "/api/v1/labour-demand-reports/interview?format=pdf&talep_no={{talepNo}}", "application/pdf", "employerToken"),
    file_req("Interview list (Excel)", "/api/v1/labour-demand-reports/interview?format=xlsx&talep_no={{talepNo}}", "spreadsheetml", "employerToken"),
    file_req("Result list (PDF)", "/api/v1/labour-demand-reports/result?format=pdf&talep_no={{talepNo}}", "application/pdf", "employerToken"),
    file_req("Result list (Excel)", "/api/v1/labour-demand-reports/result?format=xlsx&talep_no={{talepNo}}", "spreadsheetml", "employerToken"),
    req("No matching record (404)", "GET", "/api/v1/labour-demand-reports/selection?format=pdf&talep_no={{talepNo}}", 404,
        problem("report.no_records") + ["pm.test('Turkish message', () => pm.expect(j.detail).to.eql('Girdiğiniz kriterlere uygun kayıt bulunamadı.'));"],
        token="employerToken"),
    req("Another employer's report is empty (404)", "GET", "/api/v1/labour-demand-reports/referral?format=pdf&talep_no={{talepNo}}", 404,
        problem("report.no_records"), token="otherEmployerToken"),
    req("My applications", "GET", "/api/v1/job-seekers/me/applications", 200,
        paged(1) + ["pm.test('hired', () => pm.expect(j.items[0].result).to.eql('hired'));"], token="seekerToken"),
    req("Demand history", "GET", "/api/v1/labour-demands/{{demandId}}/history", 200, paged(2), token="employerToken"),
]

bad_input = [
    req("Malformed JSON is 400", "POST", "/api/v1/auth/staff/login", 400, problem("request.malformed_json"), raw_body="{\"username\": "),
    req("Not JSON is 415", "POST", "/api/v1/auth/staff/login", 415, problem("request.unsupported_media_type"),
        raw_body="username=admin", content_type="text/plain"),
    req("Unknown field is 422", "POST", "/api/v1/auth/staff/login", 422, problem("validation.failed", "role"),
        body={"username": "admin", "password": "Kapi2026", "role": "system_admin"}),
    req("Unknown route is 404", "GET", "/api/v1/nothing-here", 404, problem("not_found")),
]

hardening = [
    req("Security headers on every answer", "GET", "/api/v1/reference/provinces", 200, [
        "pm.test('no-store', () => pm.expect(pm.response.headers.get('Cache-Control')).to.eql('no-store'));",
        "pm.test('CSP', () => pm.expect(pm.response.headers.get('Content-Security-Policy')).to.eql(\"default-src 'none'; frame-ancestors 'none'\"));",
        "pm.test('nosniff', () => pm.expect(pm.response.headers.get('X-Content-Type-Options')).to.eql('nosniff'));",
        "pm.test('no framing', () => pm.expect(pm.response.headers.get('X-Frame-Options')).to.eql('DENY'));",
        "pm.test('CORP', () => pm.expect(pm.response.headers.get('Cross-Origin-Resource-Policy')).to.eql('same-origin'));"]),
    req("Create with an Idempotency-Key", "POST", "/api/v1/admin/sectors", 201,
        ["pm.test('not a replay', () => pm.expect(pm.response.headers.get('Idempotent-Replayed')).to.be.undefined);",
         "pm.collectionVariables.set('idemSectorId', j.id);"],
        body={"name": "Yeniden Deneme {{idemRun}}"}, token="adminToken", headers={"Idempotency-Key": "{{idemKey}}"},
        prereq=["pm.collectionVariables.set('idemRun', String(Date.now()));",
                "pm.collectionVariables.set('idemKey', 'postman-' + pm.collectionVariables.get('idemRun'));"]),
    req("The same key and body answer the same, creating nothing", "POST", "/api/v1/admin/sectors", 201,
        ["pm.test('replayed', () => pm.expect(pm.response.headers.get('Idempotent-Replayed')).to.eql('true'));",
         "pm.test('the same sector', () => pm.expect(j.id).to.eql(pm.collectionVariables.get('idemSectorId')));"],
        body={"name": "Yeniden Deneme {{idemRun}}"}, token="adminToken", headers={"Idempotency-Key": "{{idemKey}}"}),
    req("The same key with another body is 422", "POST", "/api/v1/admin/sectors", 422, problem("idempotency_key.reused", "Idempotency-Key"),
        body={"name": "Başka Bir Ad {{idemRun}}"}, token="adminToken", headers={"Idempotency-Key": "{{idemKey}}"}),
    req("A key with spaces is 422", "POST", "/api/v1/admin/sectors", 422, problem("validation.failed", "Idempotency-Key"),
        body={"name": "Boşluklu {{idemRun}}"}, token="adminToken", headers={"Idempotency-Key": "two words"}),
    req("Remove the sector", "DELETE", "/api/v1/admin/sectors/{{idemSectorId}}", 204, token="adminToken", headers={"If-Match": "\"1\""}),
    req("A body over 64 KiB is 413 naming the limit", "POST", "/api/v1/admin/sectors", 413, problem("request.too_large") +
        ["pm.test('names the limit', () => pm.expect(j.detail).to.include('65536'));"],
        raw_body="{\"name\": \"{{bigName}}\"}", token="adminToken",
        prereq=["pm.collectionVariables.set('bigName', 'x'.repeat(70000));"]),
]

dev = [
    req("Read the clock", "GET", "/api/v1/dev/clock", 200, ["pm.test('mode', () => pm.expect(['real', 'fixed', 'offset']).to.include(j.mode));"]),
    req("Shift the clock", "PUT", "/api/v1/dev/clock", 200, ["pm.test('offset', () => pm.expect(j.offset_seconds).to.eql(0));"],
        body={"offset_seconds": 0}),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, ["pm.test('real', () => pm.expect(j.mode).to.eql('real'));"]),
    req("Outbox", "GET", "/api/v1/dev/outbox?limit=5", 200, ["pm.test('array', () => pm.expect(j).to.be.an('array'));"]),
]

# Açık Kapı: every run registers its own desk users (TCKNs and mobiles from the run's random digits).
PETITION_PREREQ = [
    "function tckn(nine) { const d = nine.split('').map(Number); const d10 = ((((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10) + 10) % 10; const d11 = (d.reduce((a, b) => a + b, 0) + d10) % 10; return nine + d10 + d11; }",
    "const seed = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');",
    "pm.collectionVariables.set('aksTckn', tckn('81' + seed));",
    "pm.collectionVariables.set('unitATckn', tckn('82' + seed));",
    "pm.collectionVariables.set('unitBTckn', tckn('83' + seed));",
    "pm.collectionVariables.set('unknownOfficerTckn', tckn('84' + seed));",
    "pm.collectionVariables.set('aksMobile', '539' + seed);",
    "pm.collectionVariables.set('unitAMobile', '538' + seed);",
    "pm.collectionVariables.set('unitBMobile', '537' + seed);",
]

NO_CONTACT = [
    "function hasKey(v, k) { if (Array.isArray(v)) return v.some(x => hasKey(x, k)); if (v && typeof v === 'object') return Object.prototype.hasOwnProperty.call(v, k) || Object.values(v).some(x => hasKey(x, k)); return false; }",
    "['contact', 'tckn', 'mobile', 'email', 'residence'].forEach(k => pm.test('no ' + k + ' for a unit officer', () => pm.expect(hasKey(j, k)).to.eql(false)));",
]


def download(name, path, media, token, magic):
    """A file download: status 200, the media type, the file's magic bytes."""
    test = [
        "pm.test('status is 200', () => pm.response.to.have.status(200));",
        f"pm.test('content type is {media}', () => pm.expect(pm.response.headers.get('Content-Type') || '').to.include('{media}'));",
        f"pm.test('starts with {magic}', () => pm.expect(pm.response.text().slice(0, {len(magic)})).to.eql('{magic}'));",
        "pm.test('not empty', () => pm.expect(pm.response.responseSize).to.be.above(100));",
    ]
    request = {"method": "GET", "header": [{"key": "Authorization", "value": "Bearer {{" + token + "}}"}], "url": "{{baseUrl}}" + path}
    return {"name": name, "request": request, "event": script(test)}


def desk_user(kind, tckn_var, mobile_var, units):
    return {"kind": kind, "tckn": "{{" + tckn_var + "}}", "first_name": "Deniz", "last_name": "Kurt",
            "mobile": "{{" + mobile_var + "}}", "province": 6, "districts": [], "units": units}


def officer_login(who, tckn_var, mobile_var, token_var, kind):
    return [
        req(f"{who}: send the login code", "POST", "/api/v1/auth/petition-officer/otp", 201,
            ["pm.test('challenge', () => pm.expect(j.challenge_id).to.be.a('string'));",
             f"pm.collectionVariables.set('{token_var}Challenge', j.challenge_id);"],
            body={"tckn": "{{" + tckn_var + "}}", "mobile": "{{" + mobile_var + "}}"}),
        req(f"{who}: read the code from the dev outbox", "GET", "/api/v1/dev/outbox?recipient={{" + mobile_var + "}}&limit=1", 200,
            ["pm.test('one message', () => pm.expect(j.length).to.eql(1));",
             f"pm.collectionVariables.set('{token_var}Code', j[0].body.match(/\\b\\d{{6}}\\b/)[0]);"]),
        req(f"{who}: log in", "POST", "/api/v1/auth/petition-officer/login", 200,
            [f"pm.test('{kind}', () => pm.expect(j.actor.kind).to.eql('{kind}'));",
             f"pm.collectionVariables.set('{token_var}', j.access_token);"],
            body={"challenge_id": "{{" + token_var + "Challenge}}", "tckn": "{{" + tckn_var + "}}", "code": "{{" + token_var + "Code}}"}),
    ]


petition_form = {"subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"},
                 "mobile": "5321000001", "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
                 "education_level": "bachelor", "sector_id": "{{petSectorId}}",
                 "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum."}

AYSE_CHECK = {"tckn": "10000000146", "first_name": "Ayşe", "last_name": "Yılmaz",
              "mother_maiden_first_letter": "K", "mother_maiden_last_letter": "A", "mobile": "5321000001"}

pet = "/api/v1/petitions/{{petitionId}}"


def multipart_submit():
    item = req("Submit a petition as multipart (data part, no files)", "POST", "/api/v1/petitions", 201,
               ["pm.test('in the pool', () => pm.expect(j.status).to.eql('in_pool'));",
                "pm.test('no files', () => pm.expect(j.files).to.eql([]));"], token="petCitizenToken")
    item["request"]["body"] = {"mode": "formdata", "formdata": [
        {"key": "data", "type": "text", "contentType": "application/json", "value": json.dumps(petition_form, ensure_ascii=False)}]}
    return item


petitions = [
    req("Province administrator login", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.collectionVariables.set('petAdminToken', j.access_token);"],
        body={"username": "ankara.valilik", "password": "Kapi2026"}, prereq=PETITION_PREREQ),
    req("Register a desk officer (AKS)", "POST", "/api/v1/admin/petition-users", 201,
        ["pm.test('desk officer', () => pm.expect(j.kind).to.eql('desk_officer'));"],
        body=desk_user("desk_officer", "aksTckn", "aksMobile", []), token="petAdminToken"),
    req("Register a unit officer (Milli Eğitim)", "POST", "/api/v1/admin/petition-users", 201,
        ["pm.test('unit officer', () => pm.expect(j.kind).to.eql('unit_officer'));"],
        body=desk_user("unit_officer", "unitATckn", "unitAMobile", ["55481037"]), token="petAdminToken"),
    req("Register a unit officer (Sağlık)", "POST", "/api/v1/admin/petition-users", 201,
        ["pm.test('unit officer', () => pm.expect(j.kind).to.eql('unit_officer'));"],
        body=desk_user("unit_officer", "unitBTckn", "unitBMobile", ["30005480"]), token="petAdminToken"),
    req("Unit officers of the province", "GET", "/api/v1/admin/petition-users?kind=unit_officer", 200, paged(2) +
        ["pm.test('only unit officers', () => j.items.forEach(u => pm.expect(u.kind).to.eql('unit_officer')));"], token="petAdminToken"),
    download("Desk users (Excel)", "/api/v1/admin/petition-users/export", "spreadsheetml", "petAdminToken", "PK"),
    req("Unknown officer is 404", "POST", "/api/v1/auth/petition-officer/otp", 404, problem("petition_user.not_found"),
        body={"tckn": "{{unknownOfficerTckn}}", "mobile": "{{aksMobile}}"}),
    *officer_login("AKS", "aksTckn", "aksMobile", "aksToken", "desk_officer"),
    *officer_login("Unit officer A", "unitATckn", "unitAMobile", "unitAToken", "unit_officer"),
    *officer_login("Unit officer B", "unitBTckn", "unitBMobile", "unitBToken", "unit_officer"),
    req("Citizen identity check: wrong letter (422)", "POST", "/api/v1/auth/petition-citizen/identity-check", 422,
        problem("petition.identity_mismatch"), body={**AYSE_CHECK, "mother_maiden_last_letter": "E"}),
    req("Citizen identity check", "POST", "/api/v1/auth/petition-citizen/identity-check", 201,
        ["pm.collectionVariables.set('petChallengeId', j.challenge_id);"], body=AYSE_CHECK),
    req("Citizen: read the code from the dev outbox", "GET", "/api/v1/dev/outbox?recipient=5321000001&limit=1", 200,
        ["pm.collectionVariables.set('petCode', j[0].body.match(/\\b\\d{6}\\b/)[0]);"]),
    req("Citizen verifies the code", "POST", "/api/v1/auth/petition-citizen/verify", 200,
        ["pm.test('petition citizen', () => pm.expect(j.actor.kind).to.eql('petition_citizen'));",
         "pm.collectionVariables.set('petCitizenToken', j.access_token);"],
        body={"challenge_id": "{{petChallengeId}}", "tckn": "10000000146", "code": "{{petCode}}"}),
    req("A sector for the form", "GET", "/api/v1/reference/sectors", 200, paged(1) +
        ["pm.collectionVariables.set('petSectorId', j.items[0].id);"]),
    req("The petition form (filled from the registry)", "GET", "/api/v1/petitions/form", 200,
        ["pm.test('name from the registry', () => pm.expect(j.first_name).to.eql('Ayşe'));"], token="petCitizenToken"),
    req("Submit a petition (JSON)", "POST", "/api/v1/petitions", 201,
        ["pm.test('in the pool', () => pm.expect(j.status).to.eql('in_pool'));",
         "pm.test('tracking number', () => pm.expect(j.tracking_no).to.be.a('number'));",
         "pm.collectionVariables.set('petitionId', j.id);",
         "pm.collectionVariables.set('petTrackingNo', j.tracking_no);"],
        body=petition_form, token="petCitizenToken"),
    multipart_submit(),
    req("Desk finds it by tracking number", "GET", "/api/v1/petitions?tracking_no={{petTrackingNo}}", 200, paged(1) +
        ["pm.test('exactly one', () => pm.expect(j.total).to.eql(1));"], token="aksToken"),
    req("Desk reads the petition", "GET", pet, 200,
        ["pm.test('contact for the desk', () => pm.expect(j.contact.mobile).to.eql('5321000001'));",
         "pm.collectionVariables.set('petEtag', pm.response.headers.get('ETag'));"], token="aksToken"),
    req("Desk corrects the headings (If-Match)", "PUT", pet + "/headings", 200,
        ["pm.test('two headings', () => pm.expect(j.headings.length).to.eql(2));"],
        body={"headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}, {"heading_code": "H01", "sub_heading_code": "H01.07"}]},
        token="aksToken", headers={"If-Match": "{{petEtag}}"}),
    req("Route to two units", "POST", pet + "/routings", 200,
        ["pm.test('routed', () => pm.expect(j.status).to.eql('routed'));",
         "pm.test('two routings', () => pm.expect(j.routings.length).to.eql(2));"],
        body={"units": ["55481037", "30005480"]}, token="aksToken"),
    req("Closing with unanswered routings (409)", "POST", pet + "/close", 409, problem("petition.unanswered_routings"),
        body={"outcome": "positive", "reply": "Onarıldı."}, token="aksToken"),
    req("Unit A sees it without contact fields", "GET", pet, 200, NO_CONTACT, token="unitAToken"),
    req("Unit A answers", "POST", pet + "/answers", 200, NO_CONTACT[:1] +
        ["pm.test('no contact', () => pm.expect(hasKey(j, 'contact')).to.eql(false));"],
        body={"outcome": "positive", "text": "Onarım programına alındı."}, token="unitAToken"),
    req("A second answer of the same unit (409)", "POST", pet + "/answers", 409, problem("routing.already_answered"),
        body={"outcome": "negative", "text": "İkinci cevap."}, token="unitAToken"),
    req("Unit B sees it without contact fields", "GET", pet, 200, NO_CONTACT, token="unitBToken"),
    req("Unit B answers", "POST", pet + "/answers", 200,
        ["pm.test('units answered', () => pm.expect(j.status).to.eql('units_answered'));"],
        body={"outcome": "negative", "text": "Hastane ile ilgisi bulunmamaktadır."}, token="unitBToken"),
    req("Desk sends it to the governor", "POST", pet + "/governor-review", 200,
        ["pm.test('awaiting governor', () => pm.expect(j.status).to.eql('awaiting_governor'));"], body={}, token="aksToken"),
    req("Ankara MİA login", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.collectionVariables.set('miaToken', j.access_token);"], body={"username": "ankara.mia", "password": "Kapi2026"}),
    req("İstanbul MİA login", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.collectionVariables.set('istanbulMiaToken', j.access_token);"], body={"username": "istanbul.mia", "password": "Kapi2026"}),
    req("Another province's MİA cannot send it back (404)", "POST", pet + "/send-back", 404, problem("petition.not_found"),
        body={"text": "Başka il."}, token="istanbulMiaToken"),
    req("MİA sends it back", "POST", pet + "/send-back", 200,
        ["pm.test('sent back', () => pm.expect(j.status).to.eql('sent_back'));"],
        body={"text": "Cevapları birleştiriniz."}, token="miaToken"),
    req("Desk closes it (partly positive)", "POST", pet + "/close", 200,
        ["pm.test('closed', () => pm.expect(j.status).to.eql('closed'));",
         "pm.test('standard letter', () => pm.expect(j.closing.letter.startsWith('Sayın Ayşe Yılmaz')).to.eql(true));"],
        body={"outcome": "partly_positive", "reply": "Okul duvarı onarım programına alınmıştır."}, token="aksToken"),
    req("A closed petition is not routed (409)", "POST", pet + "/routings", 409, problem("petition.closed"),
        body={"units": ["30005754"]}, token="aksToken"),
    req("Citizen queries by tracking number", "POST", "/api/v1/auth/petition-citizen/query", 201,
        ["pm.test('the petition', () => pm.expect(j.petition_id).to.eql(pm.collectionVariables.get('petitionId')));",
         "pm.collectionVariables.set('petChallengeId', j.challenge_id);"],
        raw_body=json.dumps({"tracking_no": "{{petTrackingNo}}", "tckn": "10000000146"}).replace('"{{petTrackingNo}}"', "{{petTrackingNo}}")),
    req("Citizen query: read the code from the dev outbox", "GET", "/api/v1/dev/outbox?recipient=5321000001&limit=1", 200,
        ["pm.collectionVariables.set('petCode', j[0].body.match(/\\b\\d{6}\\b/)[0]);"]),
    req("Citizen query: verify the code", "POST", "/api/v1/auth/petition-citizen/verify", 200,
        ["pm.collectionVariables.set('petViewerToken', j.access_token);"],
        body={"challenge_id": "{{petChallengeId}}", "tckn": "10000000146", "code": "{{petCode}}"}),
    req("Citizen reads the closed petition", "GET", pet, 200,
        ["pm.test('partly positive', () => pm.expect(j.closing.outcome).to.eql('partly_positive'));",
         "pm.test('two routings', () => pm.expect(j.routings.length).to.eql(2));"], token="petViewerToken"),
    req("Petition history", "GET", pet + "/history", 200, paged(5), token="petViewerToken"),
    download("Petition report (PDF)", pet + "/report", "application/pdf", "petViewerToken", "%PDF-"),
    download("Desk exports petitions (Excel)", "/api/v1/petitions/export", "spreadsheetml", "aksToken", "PK"),
    req("Desk enters a written petition", "POST", "/api/v1/petitions/written", 201,
        ["pm.test('written', () => pm.expect(j.channel).to.eql('written'));",
         "pm.test('Keçiören from the residence', () => pm.expect(j.subject_address.district_code).to.eql(6017));",
         "pm.collectionVariables.set('writtenId', j.id);"],
        body={**petition_form, "subject_address": {"same_as_residence": True}, "tckn": "12345678950", "arrival_date": "2026-01-05"},
        token="aksToken"),
    req("Written petition routed to the wrong unit", "POST", "/api/v1/petitions/{{writtenId}}/routings", 200,
        ["pm.test('routed', () => pm.expect(j.status).to.eql('routed'));"], body={"units": ["30005754"]}, token="aksToken"),
    req("MİA resets it to the pool", "POST", "/api/v1/petitions/{{writtenId}}/reset", 200,
        ["pm.test('in the pool', () => pm.expect(j.status).to.eql('in_pool'));",
         "pm.test('no routings', () => pm.expect(j.routings).to.eql([]));"], body={}, token="miaToken"),
]

# Kariyer Kapısı: the dev clock is fixed on 1 March 2030 (after every date the other folders
# reach with their offsets) and moved forward through the posting's calendar; the folder
# runs last and gives the real clock back at the end. Every run drafts its own postings
# (the run's digits in the title), so the folder also passes against a server that has seen
# earlier runs: the candidates' older applications belong to other postings.
KK_SEED = [
    "pm.collectionVariables.set('kkSeed', String(Math.floor(Math.random() * 1e8)).padStart(8, '0'));",
]


def kk_posting(stages=True):
    return {
        "title": "Sözleşmeli Bilişim Personeli Alım İlanı {{kkSeed}}",
        "main_text": "Kurumumuz merkez teşkilatında istihdam edilmek üzere 4/B sözleşmeli personel alınacaktır.",
        "starts_on": "2030-03-01",
        "ends_on": "2030-03-15",
        "sub_postings": [
            {"title": "Bilişim Uzmanı", "text": "Yazılım geliştirme ve veritabanı yönetimi görevlerinde çalışacak uzman.",
             "vacancies": 1, "reserve_count": 1, "province": 6, "education_level": "bachelor", "employment_type": "contracted",
             "requirements": ["Bilgisayar mühendisliği lisans mezunu olmak"]},
            {"title": "Büro Personeli", "text": "Evrak ve arşiv işlerinde çalışacak büro personeli.",
             "vacancies": 1, "reserve_count": 0, "province": 34, "education_level": "high_school", "employment_type": "permanent_worker",
             "requirements": []},
        ],
        "stages": [
            {"kind": "written_exam", "starts_at": "2030-03-20T10:00:00+03:00", "mode": "in_person", "place": "Ankara Üniversitesi Tandoğan Kampüsü"},
            {"kind": "interview", "name": "Sözlü Mülakat", "starts_at": "2030-03-27T10:00:00+03:00", "mode": "online"},
        ] if stages else [],
    }


def kk_edited(**changes):
    """The posting as published, with the changes of the allowed edit and then `changes`."""
    b = kk_posting()
    b["main_text"] = "Düzeltilmiş ilan metni: başvurular Kariyer Kapısı üzerinden alınır."
    b["ends_on"] = "2030-03-16"
    b["stages"][0]["place"] = "Ankara Üniversitesi Cebeci Kampüsü"
    b.update(changes)
    return b


KK_DECLARATIONS = {
    "registry_confirmed": True,
    "declarations": {
        "high_school": {"school_name": "Ankara Atatürk Lisesi", "graduation_date": "2013-06-14", "diploma_grade": 88.4},
        "universities": [{"level": "bachelor", "university": "Hacettepe Üniversitesi", "department": "Bilgisayar Mühendisliği",
                          "graduation_date": "2018-06-29", "grade": 3.12, "grade_scale": "four"}],
        "work_experience": [{"employer": "Demo Yazılım A.Ş.", "position": "Yazılımcı", "sector": "private", "starts_on": "2018-09-01"}],
        "language_exams": [
            {"language": "İngilizce", "exam": "yds", "exam_date": "2025-04-06", "score": 82.5},
            {"language": "Almanca", "exam": "yokdil", "exam_date": "2024-03-10", "score": 61.25},
        ],
        "other": "B sınıfı sürücü belgesi.",
    },
}


def kk_bad_declarations():
    b = json.loads(json.dumps(KK_DECLARATIONS))
    b["declarations"]["high_school"]["graduation_date"] = "14.06.2013"
    b["declarations"]["universities"][0]["graduation_date"] = "2031-06-30"
    b["declarations"]["language_exams"][0]["score"] = 101
    b["declarations"]["language_exams"][1]["exam"] = "toeic"
    return b


kkp = "/api/v1/postings/{{kkPostingId}}"


def kka(var):
    return "/api/v1/applications/{{" + var + "}}"


def v(var):
    return f"pm.collectionVariables.get('{var}')"


def kk_clock(name, at, prereq=None):
    return req(name, "PUT", "/api/v1/dev/clock", 200,
               ["pm.test('fixed', () => pm.expect(j.mode).to.eql('fixed'));",
                f"pm.test('now', () => pm.expect(new Date(j.now).toISOString()).to.eql(new Date('{at}').toISOString()));"],
               body={"at": at}, prereq=prereq)


def kk_staff(name, username, token_var):
    return req(name, "POST", "/api/v1/auth/staff/login", 200,
               ["pm.test('institution staff', () => pm.expect(j.actor.kind).to.eql('institution_staff'));",
                f"pm.collectionVariables.set('{token_var}', j.access_token);"],
               body={"username": username, "password": "Kapi2026"})


def kk_citizen(name, tckn, token_var):
    return req(name, "POST", "/api/v1/auth/e-devlet/login", 200,
               [f"pm.test('citizen {tckn}', () => pm.expect(j.actor.scope.tckn).to.eql('{tckn}'));",
                f"pm.collectionVariables.set('{token_var}', j.access_token);"],
               body={"tckn": tckn, "password": "Kapi2026"})


def kk_listed(found, var="kkPostingId"):
    word, neg = ("lists", "") if found else ("does not list", "not.")
    return paged(0) + [f"pm.test('{word} the posting', () => pm.expect(j.items.map(p => p.id)).to.{neg}include({v(var)}));"]


def kk_filter(query, found):
    quoted = urllib.parse.quote(query, safe="=&%")
    return req(f"Filter {query} ({'found' if found else 'not found'})", "GET", "/api/v1/postings?per_page=100&" + quoted, 200,
               kk_listed(found))


def kk_wizard(who, tckn, token_var, app_var, sub, first_name):
    """A candidate's whole wizard on the posting: log in, start, the four steps, submit."""
    app = kka(app_var)
    return [
        kk_citizen(f"{who}: log in (e-Devlet)", tckn, token_var),
        req(f"{who}: start applying", "POST", kkp + "/applications", 201,
            [f"pm.test('a new draft for {first_name}', () => {{ pm.expect(j.status).to.eql('draft'); pm.expect(j.candidate.first_name).to.eql('{first_name}'); }});",
             "pm.test('opens on the posting text', () => pm.expect(j.wizard.next_step).to.eql('posting_text'));",
             f"pm.collectionVariables.set('{app_var}', j.id);"],
            body={}, token=token_var),
        req(f"{who}: accept the posting text", "PUT", app + "/posting-text", 200,
            ["pm.test('next: the sub-posting', () => pm.expect(j.wizard.next_step).to.eql('sub_posting'));"],
            body={"accepted": True}, token=token_var),
        req(f"{who}: choose sub-posting {sub}", "PUT", app + "/sub-posting", 200,
            [f"pm.test('sub-posting {sub}', () => pm.expect(j.sub_posting.no).to.eql({sub}));"],
            body={"sub_posting_no": sub}, token=token_var),
        req(f"{who}: accept the sub-posting text", "PUT", app + "/sub-posting-text", 200,
            ["pm.test('next: declarations', () => pm.expect(j.wizard.next_step).to.eql('declarations'));"],
            body={"accepted": True}, token=token_var),
        req(f"{who}: confirm the registry data and declare", "PUT", app + "/declarations", 200,
            ["pm.test('nothing missing', () => pm.expect(j.wizard.missing_steps).to.eql([]));"],
            body=KK_DECLARATIONS, token=token_var),
        req(f"{who}: submit", "POST", app + "/submit", 200,
            ["pm.test('pending', () => pm.expect(j.status).to.eql('pending'));"],
            body={"accepted": True}, token=token_var),
    ]


def kk_results(*rows):
    return {"results": [{"application_id": "{{" + var + "}}", "score": score, "outcome": outcome} for var, score, outcome in rows]}


KK_WRITTEN = kk_results(("kkAyseApp", 70, "positive"), ("kkMehmetApp", 90, "positive"),
                        ("kkZeynepApp", 70, "positive"), ("kkIbrahimApp", 95, "negative"))


def kk_invitation(app_var, stage_no):
    """JS: `inv`, the candidate's invitation to stage `stage_no` of this run's application."""
    return f"const inv = j.items.find(i => i.application_id === {v(app_var)} && i.stage.stage_no === {stage_no});"


KK_LINE = ["const line = (i) => { const c = j.sub_postings[0].candidates[i]; return [c.application_id, c.result, c.rank]; };"]

kariyer = [
    # --- The calendar and the people ----------------------------------------------------
    kk_clock("Fix the clock on 1 March 2030, 12:00 Istanbul", "2030-03-01T09:00:00Z", prereq=KK_SEED),
    kk_staff("Institution HR login (kurum.ik)", "kurum.ik", "kkKurumToken"),
    kk_staff("Another institution's HR login (kurum2.ik)", "kurum2.ik", "kkKurum2Token"),
    kk_citizen("Candidate login: Ayşe Yılmaz", "10000000146", "kkAyseToken"),
    req("Employment types", "GET", "/api/v1/reference/employment-types", 200, paged(4) +
        ["pm.test('four', () => pm.expect(j.total).to.eql(4));",
         "pm.test('contracted is Sözleşmeli Personel', () => pm.expect(j.items[1]).to.eql({code: 'contracted', name_tr: 'Sözleşmeli Personel'}));"]),
    req("Stage kinds", "GET", "/api/v1/reference/stage-kinds", 200, paged(5) +
        ["pm.test('five', () => pm.expect(j.total).to.eql(5));",
         "pm.test('interview is Mülakat', () => pm.expect(j.items[4]).to.eql({code: 'interview', name_tr: 'Mülakat'}));"]),

    # --- Drafting: who may, and invalid input -------------------------------------------
    req("A citizen cannot draft a posting (403)", "POST", "/api/v1/postings", 403, problem("posting.institution_only"),
        body=kk_posting(), token="kkAyseToken"),
    req("Drafting without a token (401)", "POST", "/api/v1/postings", 401, problem("auth.missing_token"), body=kk_posting()),
    req("Invalid fields, all named (422)", "POST", "/api/v1/postings", 422, problem("validation.failed", "title") +
        [f"pm.test('names {f}', () => pm.expect(j.errors.map(e => e.field)).to.include('{f}'));" for f in
         ["ends_on", "sub_postings[0].vacancies", "sub_postings[0].province", "sub_postings[1].education_level",
          "sub_postings[1].employment_type", "stages[0].place", "stages[1].mode"]],
        body={**kk_posting(), "title": "x", "ends_on": "2030-02-28",
              "sub_postings": [{**kk_posting()["sub_postings"][0], "vacancies": 0, "province": 99},
                               {**kk_posting()["sub_postings"][1], "education_level": "phd", "employment_type": "freelance"}],
              "stages": [{**kk_posting()["stages"][0], "place": None}, {**kk_posting()["stages"][1], "mode": "by_phone"}]},
        token="kkKurumToken"),
    req("Malformed date and instant, both named (422)", "POST", "/api/v1/postings", 422, problem("validation.failed") +
        ["pm.test('starts_on and stages[1].starts_at', () => pm.expect(j.errors.map(e => e.field)).to.eql(['starts_on', 'stages[1].starts_at']));"],
        body={**kk_posting(), "starts_on": "01.03.2030",
              "stages": [kk_posting()["stages"][0], {**kk_posting()["stages"][1], "starts_at": "27 Mart 2030"}]},
        token="kkKurumToken"),
    req("An unknown field (422)", "POST", "/api/v1/postings", 422, problem("validation.failed", "sub_postings[0].salary"),
        body={**kk_posting(), "sub_postings": [{**kk_posting()["sub_postings"][0], "salary": 1}, kk_posting()["sub_postings"][1]]},
        token="kkKurumToken"),

    # --- The posting: a draft, seen by its institution only -----------------------------
    req("Draft a posting with two positions and two stages", "POST", "/api/v1/postings", 201,
        ["pm.test('ETag 1', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"1\"'));",
         "pm.test('Location', () => pm.expect(pm.response.headers.get('Location')).to.eql('/api/v1/postings/' + j.id));",
         "pm.test('draft with a number', () => { pm.expect(j.status).to.eql('draft'); pm.expect(j.posting_no).to.be.above(0); });",
         "pm.test('positions numbered', () => pm.expect(j.sub_postings.map(s => s.no)).to.eql([1, 2]));",
         "pm.test('employment type label', () => pm.expect(j.sub_postings[0].employment_type_label).to.eql('Sözleşmeli Personel'));",
         "pm.test('stage name from its kind', () => { pm.expect(j.stages[0].name).to.eql('Yazılı Sınav'); pm.expect(j.stages[0].kind_label).to.eql('Yazılı Sınav'); });",
         "pm.test('online stage without a place', () => { pm.expect(j.stages[1].mode).to.eql('online'); pm.expect(j.stages[1].place).to.eql(null); });",
         "pm.test('deadline: the end date 23:59:59 Istanbul', () => pm.expect(j.application_deadline.startsWith('2030-03-15T23:59:59')).to.eql(true));",
         "pm.collectionVariables.set('kkPostingId', j.id);",
         "pm.collectionVariables.set('kkInstitutionId', j.institution.id);",
         "pm.collectionVariables.set('kkEtag', pm.response.headers.get('ETag'));"],
        body=kk_posting(), token="kkKurumToken"),
    req("The draft is hidden from the public (404)", "GET", kkp, 404, problem("posting.not_found")),
    req("The draft is hidden from another institution (404)", "GET", kkp, 404, problem("posting.not_found"), token="kkKurum2Token"),
    req("The draft is hidden from candidates (404)", "GET", kkp, 404, problem("posting.not_found"), token="kkAyseToken"),
    req("The institution reads its draft", "GET", kkp, 200,
        ["pm.test('draft', () => pm.expect(j.status).to.eql('draft'));",
         "pm.test('ETag', () => pm.expect(pm.response.headers.get('ETag')).to.eql(pm.collectionVariables.get('kkEtag')));"],
        token="kkKurumToken"),
    req("Not in the public list", "GET", "/api/v1/postings?per_page=100", 200, kk_listed(False)),
    req("In the institution's own drafts", "GET", "/api/v1/postings?view=own&status=draft&per_page=100", 200, kk_listed(True) +
        ["pm.test('only drafts', () => j.items.forEach(p => pm.expect(p.status).to.eql('draft')));"], token="kkKurumToken"),
    req("Not in its own published postings", "GET", "/api/v1/postings?view=own&status=published&per_page=100", 200, kk_listed(False),
        token="kkKurumToken"),
    req("Not in another institution's own list", "GET", "/api/v1/postings?view=own&per_page=100", 200, kk_listed(False) +
        ["pm.test('only its own', () => j.items.forEach(p => pm.expect(p.institution.name).to.eql('Hazine ve Maliye Bakanlığı')));"],
        token="kkKurum2Token"),
    req("Nobody applies to a draft (404)", "POST", kkp + "/applications", 404, problem("posting.not_found"), body={}, token="kkAyseToken"),

    # --- Published -------------------------------------------------------------------------
    req("Another institution cannot publish it (404)", "POST", kkp + "/publish", 404, problem("posting.not_found"), token="kkKurum2Token"),
    req("Publish with If-Match", "POST", kkp + "/publish", 200,
        ["pm.test('ETag 2', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"2\"'));",
         "pm.test('published and open', () => { pm.expect(j.status).to.eql('published'); pm.expect(j.window).to.eql('open'); });",
         "pm.collectionVariables.set('kkEtag', pm.response.headers.get('ETag'));"],
        token="kkKurumToken", headers={"If-Match": "{{kkEtag}}"}),
    req("Publishing twice (409)", "POST", kkp + "/publish", 409, problem("posting.not_draft"), token="kkKurumToken"),
    req("The public list, found by the run's number", "GET", "/api/v1/postings?keyword={{kkSeed}}", 200, paged(1) +
        ["pm.test('exactly this posting', () => { pm.expect(j.total).to.eql(1); pm.expect(j.items[0].id).to.eql(" + v("kkPostingId") + "); });",
         "const line = j.items[0];",
         "pm.test('vacancies and positions summed', () => { pm.expect(line.vacancies).to.eql(2); pm.expect(line.sub_posting_count).to.eql(2); });",
         "pm.test('provinces once each, ascending', () => pm.expect(line.provinces).to.eql([6, 34]));",
         "pm.test('the institution', () => pm.expect(line.institution.name).to.eql('Aile ve Sosyal Hizmetler Bakanlığı'));"]),
    req("Filter by its institution (found)", "GET", "/api/v1/postings?per_page=100&institution_id={{kkInstitutionId}}", 200, kk_listed(True)),
    req("Filter by another institution (not found)", "GET", "/api/v1/postings?per_page=100&institution_id=01900000-0000-7000-8000-000000000000", 200,
        kk_listed(False)),
    *[kk_filter(q, f) for q, f in [
        ("province=6", True), ("province=35", False),
        ("position=bilisim", True), ("position=BİLİŞİM uzm", True), ("position=muhasebe", False),
        ("education_level=bachelor", True), ("education_level=doctorate", False),
        ("employment_type=contracted", True), ("employment_type=temporary_worker", False),
        ("keyword=sozlesmeli", True), ("keyword=SÖZLEŞMELİ arsiv", True), ("keyword=sozlesmeli noter", False),
        # The sub-posting criteria hold for one and the same sub-posting.
        ("province=34&education_level=high_school", True), ("province=34&education_level=bachelor", False),
        ("position=buro&employment_type=permanent_worker", True), ("position=buro&employment_type=contracted", False),
    ]],
    req("The archive needs a login (401)", "GET", "/api/v1/postings?view=archive", 401, problem("auth.required")),
    req("Own postings are for institutions (403)", "GET", "/api/v1/postings?view=own", 403, problem("posting.institution_only"),
        token="kkAyseToken"),
    req("An unknown parameter is named (422)", "GET", "/api/v1/postings?foo=1", 422, problem("validation.failed", "foo")),
    req("An unknown employment type is named (422)", "GET", "/api/v1/postings?employment_type=freelance", 422,
        problem("validation.failed", "employment_type")),
    req("A status filter outside the own view (422)", "GET", "/api/v1/postings?status=draft", 422, problem("validation.failed", "status")),
    req("An unknown province (422)", "GET", "/api/v1/postings?province=82", 422, problem("validation.failed", "province")),
    req("Anyone opens the published posting", "GET", kkp, 200,
        ["pm.test('published', () => pm.expect(j.status).to.eql('published'));",
         "pm.test('status label', () => pm.expect(j.status_label).to.eql('Yayında'));"]),
    req("A candidate opens it", "GET", kkp, 200, ["pm.test('open', () => pm.expect(j.window).to.eql('open'));"], token="kkAyseToken"),

    # --- What a published posting may still change -------------------------------------
    req("A locked field is refused and named (422)", "PUT", kkp, 422, problem("validation.failed") +
        ["pm.test('only the vacancies', () => pm.expect(j.errors.map(e => e.field)).to.eql(['sub_postings[0].vacancies']));",
         "pm.test('locked after publication', () => pm.expect(j.errors[0].code).to.eql('posting.locked_after_publish'));"],
        body={**kk_posting(), "sub_postings": [{**kk_posting()["sub_postings"][0], "vacancies": 2}, kk_posting()["sub_postings"][1]]},
        token="kkKurumToken", headers={"If-Match": "{{kkEtag}}"}),
    req("An earlier end date is refused (422)", "PUT", kkp, 422, problem("validation.failed", "ends_on"),
        body=kk_edited(ends_on="2030-03-14"), token="kkKurumToken"),
    req("Change the text, a later end date and the exam place (If-Match)", "PUT", kkp, 200,
        ["pm.test('ETag 3', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"3\"'));",
         "pm.test('later end date', () => pm.expect(j.ends_on).to.eql('2030-03-16'));",
         "pm.test('new place', () => pm.expect(j.stages[0].place).to.eql('Ankara Üniversitesi Cebeci Kampüsü'));",
         "pm.test('deadline moved', () => pm.expect(j.application_deadline.startsWith('2030-03-16T23:59:59')).to.eql(true));",
         "pm.collectionVariables.set('kkEtag', pm.response.headers.get('ETag'));"],
        body=kk_edited(), token="kkKurumToken", headers={"If-Match": "{{kkEtag}}"}),
    req("A stale If-Match (412)", "PUT", kkp, 412, problem("precondition.version_mismatch"),
        body=kk_edited(), token="kkKurumToken", headers={"If-Match": "\"2\""}),
    req("Another institution cannot change it (404)", "PUT", kkp, 404, problem("posting.not_found"), body=kk_edited(), token="kkKurum2Token"),
    req("Another institution cannot cancel it (404)", "POST", kkp + "/cancel", 404, problem("posting.not_found"),
        body={"reason": "Başkasının ilanı"}, token="kkKurum2Token"),
    req("Another institution cannot read its history (404)", "GET", kkp + "/history", 404, problem("posting.not_found"), token="kkKurum2Token"),
    req("Candidates cannot read its history (404)", "GET", kkp + "/history", 404, problem("posting.not_found"), token="kkAyseToken"),
    req("Posting history", "GET", kkp + "/history", 200, paged(3) +
        ["pm.test('created, published, changed', () => pm.expect(j.items.map(e => e.note)).to.eql(['İlan Oluşturuldu', 'İlan Yayımlandı', 'İlan Güncellendi']));",
         "pm.test('draft to published', () => { pm.expect(j.items[1].from_state).to.eql('draft'); pm.expect(j.items[1].to_state).to.eql('published'); });"],
        token="kkKurumToken"),

    # --- A second posting, cancelled while open; a third without stages ---------------------
    req("Draft a second posting", "POST", "/api/v1/postings", 201,
        ["pm.collectionVariables.set('kkCancelledId', j.id);"], body=kk_posting(), token="kkKurumToken"),
    req("Publish it", "POST", "/api/v1/postings/{{kkCancelledId}}/publish", 200,
        ["pm.test('published', () => pm.expect(j.status).to.eql('published'));"], token="kkKurumToken"),
    req("A candidate starts a draft on it", "POST", "/api/v1/postings/{{kkCancelledId}}/applications", 201,
        ["pm.collectionVariables.set('kkDiscardedApp', j.id);"], body={}, token="kkAyseToken"),
    req("The institution never sees a draft (404)", "GET", kka("kkDiscardedApp"), 404, problem("application.not_found"), token="kkKurumToken"),
    req("Nor lists it", "GET", "/api/v1/postings/{{kkCancelledId}}/applications", 200, paged(0) +
        ["pm.test('no applications', () => pm.expect(j.total).to.eql(0));"], token="kkKurumToken"),
    req("Unknown field in a step (422)", "PUT", kka("kkDiscardedApp") + "/posting-text", 422, problem("validation.failed", "extra"),
        body={"accepted": True, "extra": 1}, token="kkAyseToken"),
    req("A wrong type in a step (422)", "PUT", kka("kkDiscardedApp") + "/sub-posting", 422, problem("validation.failed", "sub_posting_no"),
        body={"sub_posting_no": "bir"}, token="kkAyseToken"),
    req("A candidate gives no reason (422)", "POST", kka("kkDiscardedApp") + "/cancel", 422, problem("application.reason_institution_only", "reason"),
        body={"reason": "vazgeçtim"}, token="kkAyseToken"),
    req("The candidate discards the draft", "POST", kka("kkDiscardedApp") + "/cancel", 200,
        ["pm.test('cancelled by the candidate', () => { pm.expect(j.status).to.eql('cancelled'); pm.expect(j.cancellation.by).to.eql('candidate'); });"],
        body={}, token="kkAyseToken"),
    req("A discarded draft frees the posting for a new one", "POST", "/api/v1/postings/{{kkCancelledId}}/applications", 201,
        ["pm.test('another draft', () => pm.expect(j.id).to.not.eql(" + v("kkDiscardedApp") + "));",
         "pm.collectionVariables.set('kkFrozenApp', j.id);"], body={}, token="kkAyseToken"),
    req("A reason that is too short (422)", "POST", "/api/v1/postings/{{kkCancelledId}}/cancel", 422, problem("validation.failed", "reason"),
        body={"reason": "Yok"}, token="kkKurumToken"),
    req("Cancel the published posting with a reason", "POST", "/api/v1/postings/{{kkCancelledId}}/cancel", 200,
        ["pm.test('cancelled', () => pm.expect(j.status).to.eql('cancelled'));",
         "pm.test('the reason', () => pm.expect(j.cancel_reason).to.eql('Kadro iptali nedeniyle ilan iptal edilmiştir.'));"],
        body={"reason": "Kadro iptali nedeniyle ilan iptal edilmiştir."}, token="kkKurumToken"),
    req("Cancelling twice (409)", "POST", "/api/v1/postings/{{kkCancelledId}}/cancel", 409, problem("posting.cancelled"),
        body={"reason": "Bir daha iptal"}, token="kkKurumToken"),
    req("A cancelled posting no longer changes (409)", "PUT", "/api/v1/postings/{{kkCancelledId}}", 409, problem("posting.cancelled"),
        body=kk_posting(), token="kkKurumToken"),
    req("Candidates no longer see it (404)", "GET", "/api/v1/postings/{{kkCancelledId}}", 404, problem("posting.not_found"), token="kkAyseToken"),
    kk_citizen("Candidate login: Mehmet Demir", "12345678950", "kkMehmetToken"),
    req("Applying to a cancelled posting, as to one not seen (404)", "POST", "/api/v1/postings/{{kkCancelledId}}/applications", 404,
        problem("posting.not_found"), body={}, token="kkMehmetToken"),
    req("A draft on a cancelled posting shows it cancelled", "GET", kka("kkFrozenApp"), 200,
        ["pm.test('still a draft', () => pm.expect(j.status).to.eql('draft'));",
         "pm.test('posting cancelled', () => pm.expect(j.posting.status).to.eql('cancelled'));"], token="kkAyseToken"),
    req("A draft on a cancelled posting is frozen (409)", "PUT", kka("kkFrozenApp") + "/posting-text", 409, problem("posting.cancelled"),
        body={"accepted": True}, token="kkAyseToken"),
    req("Cancellation in the history", "GET", "/api/v1/postings/{{kkCancelledId}}/history", 200, paged(3) +
        ["pm.test('last: cancelled with the reason', () => pm.expect(j.items[j.items.length - 1].note).to.eql('İlan İptal Edildi: Kadro iptali nedeniyle ilan iptal edilmiştir.'));"],
        token="kkKurumToken"),
    req("Draft a posting without stages", "POST", "/api/v1/postings", 201,
        ["pm.test('no stages', () => pm.expect(j.stages).to.eql([]));", "pm.collectionVariables.set('kkNoStagesId', j.id);"],
        body=kk_posting(stages=False), token="kkKurumToken"),
    req("Publishing needs a stage (422)", "POST", "/api/v1/postings/{{kkNoStagesId}}/publish", 422, problem("posting.no_stages", "stages"),
        token="kkKurumToken"),
    req("A draft is cancelled too", "POST", "/api/v1/postings/{{kkNoStagesId}}/cancel", 200,
        ["pm.test('cancelled', () => pm.expect(j.status).to.eql('cancelled'));"], body={"reason": "Taslaktan vazgeçildi"}, token="kkKurumToken"),

    # --- Ayşe's wizard, step by step ------------------------------------------------------
    req("Ayşe: start applying", "POST", kkp + "/applications", 201,
        ["pm.test('ETag 1', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"1\"'));",
         "pm.test('Location', () => pm.expect(pm.response.headers.get('Location')).to.eql('/api/v1/applications/' + j.id));",
         "pm.test('registry data', () => pm.expect(j.candidate.first_name).to.eql('Ayşe'));",
         "pm.test('opens on the posting text', () => pm.expect(j.wizard.next_step).to.eql('posting_text'));",
         "pm.collectionVariables.set('kkAyseApp', j.id);"],
        body={}, token="kkAyseToken"),
    req("Ayşe: a step out of order (422)", "PUT", kka("kkAyseApp") + "/sub-posting", 422, problem("application.step_order"),
        body={"sub_posting_no": 1}, token="kkAyseToken"),
    req("Ayşe: the text not accepted (422)", "PUT", kka("kkAyseApp") + "/posting-text", 422, problem("application.acceptance_required") +
        ["pm.test('names accepted only', () => pm.expect(j.errors.map(e => e.field)).to.eql(['accepted']));"],
        body={"accepted": False}, token="kkAyseToken"),
    req("Ayşe: accept the posting text", "PUT", kka("kkAyseApp") + "/posting-text", 200,
        ["pm.test('accepted', () => pm.expect(j.wizard.posting_text_accepted_at).to.be.a('string'));",
         "pm.test('next: the sub-posting', () => pm.expect(j.wizard.next_step).to.eql('sub_posting'));"],
        body={"accepted": True}, token="kkAyseToken"),
    req("Ayşe: an unknown sub-posting (422)", "PUT", kka("kkAyseApp") + "/sub-posting", 422,
        ["pm.test('names sub_posting_no only', () => pm.expect(j.errors.map(e => e.field)).to.eql(['sub_posting_no']));"],
        body={"sub_posting_no": 3}, token="kkAyseToken"),
    req("Ayşe: choose sub-posting 1", "PUT", kka("kkAyseApp") + "/sub-posting", 200,
        ["pm.test('Bilişim Uzmanı', () => pm.expect(j.sub_posting.title).to.eql('Bilişim Uzmanı'));"],
        body={"sub_posting_no": 1}, token="kkAyseToken"),
    req("Ayşe: accept the sub-posting text", "PUT", kka("kkAyseApp") + "/sub-posting-text", 200,
        ["pm.test('next: declarations', () => pm.expect(j.wizard.next_step).to.eql('declarations'));"],
        body={"accepted": True}, token="kkAyseToken"),
    req("Ayşe: resuming returns the same draft (200)", "POST", kkp + "/applications", 200,
        ["pm.test('same draft', () => pm.expect(j.id).to.eql(" + v("kkAyseApp") + "));",
         "pm.test('on the declarations step', () => pm.expect(j.wizard.next_step).to.eql('declarations'));"],
        body={}, token="kkAyseToken"),
    req("Ayşe: submitting early names the missing step (422)", "POST", kka("kkAyseApp") + "/submit", 422,
        problem("application.steps_incomplete") +
        ["pm.test('steps.declarations', () => pm.expect(j.errors.map(e => e.field)).to.eql(['steps.declarations']));"],
        body={"accepted": True}, token="kkAyseToken"),
    req("Ayşe: invalid declarations, every field named (422)", "PUT", kka("kkAyseApp") + "/declarations", 422,
        problem("validation.failed", "declarations.language_exams[0].score") +
        ["pm.test('four fields in order', () => pm.expect(j.errors.map(e => e.field)).to.eql(['declarations.high_school.graduation_date', 'declarations.universities[0].graduation_date', 'declarations.language_exams[0].score', 'declarations.language_exams[1].exam']));"],
        body=kk_bad_declarations(), token="kkAyseToken"),
    req("Ayşe: the registry data not confirmed (422)", "PUT", kka("kkAyseApp") + "/declarations", 422,
        ["pm.test('names registry_confirmed', () => pm.expect(j.errors.map(e => e.field)).to.eql(['registry_confirmed']));"],
        body={**KK_DECLARATIONS, "registry_confirmed": False}, token="kkAyseToken"),
    req("Ayşe: nothing of it was saved", "GET", kka("kkAyseApp"), 200,
        ["pm.test('no declarations', () => pm.expect(j.declarations).to.eql(null));",
         "pm.test('declarations missing', () => pm.expect(j.wizard.missing_steps).to.eql(['declarations']));"], token="kkAyseToken"),
    req("Ayşe: confirm the registry data and declare (the preview)", "PUT", kka("kkAyseApp") + "/declarations", 200,
        ["pm.test('nothing missing', () => { pm.expect(j.wizard.missing_steps).to.eql([]); pm.expect(j.wizard.next_step).to.eql(null); });",
         "pm.test('declarations kept', () => { pm.expect(j.declarations.language_exams[1].score).to.eql(61.25); pm.expect(j.declarations.universities[0].graduation_date).to.eql('2018-06-29'); });",
         "pm.test('the position', () => pm.expect(j.sub_posting.title).to.eql('Bilişim Uzmanı'));"],
        body=KK_DECLARATIONS, token="kkAyseToken"),
    req("Ayşe: the preview not accepted (422)", "POST", kka("kkAyseApp") + "/submit", 422, problem("application.acceptance_required"),
        body={"accepted": False}, token="kkAyseToken"),
    req("Ayşe: submit", "POST", kka("kkAyseApp") + "/submit", 200,
        ["pm.test('pending', () => { pm.expect(j.status).to.eql('pending'); pm.expect(j.status_label).to.eql('Başvuru Bekliyor'); });",
         "pm.test('cancellable until the end date', () => pm.expect(j.cancellable_until).to.eql('2030-03-16T23:59:59+03:00'));"],
        body={"accepted": True}, token="kkAyseToken"),
    req("Ayşe: the steps are frozen (409)", "PUT", kka("kkAyseApp") + "/posting-text", 409, problem("application.not_draft"),
        body={"accepted": True}, token="kkAyseToken"),
    req("Ayşe: applying twice (409)", "POST", kkp + "/applications", 409, problem("application.already_applied"), body={}, token="kkAyseToken"),

    # --- Other candidates, a minute apart ---------------------------------------------------
    kk_clock("Clock: 12:01", "2030-03-01T09:01:00Z"),
    *kk_wizard("Mehmet", "12345678950", "kkMehmetToken", "kkMehmetApp", 1, "Mehmet"),
    kk_clock("Clock: 12:02", "2030-03-01T09:02:00Z"),
    *kk_wizard("Zeynep", "23456789060", "kkZeynepToken", "kkZeynepApp", 1, "Zeynep"),
    kk_clock("Clock: 12:03", "2030-03-01T09:03:00Z"),
    *kk_wizard("İbrahim", "34567890170", "kkIbrahimToken", "kkIbrahimFirstApp", 1, "İbrahim"),
    *kk_wizard("Gülşen", "45678901280", "kkGulsenToken", "kkGulsenApp", 2, "Gülşen"),

    # --- Nobody reads another's -------------------------------------------------------------
    req("Another candidate's application (404)", "GET", kka("kkMehmetApp"), 404, problem("application.not_found"), token="kkAyseToken"),
    req("Another candidate's history (404)", "GET", kka("kkMehmetApp") + "/history", 404, problem("application.not_found"), token="kkAyseToken"),
    req("Cancelling another candidate's (404)", "POST", kka("kkMehmetApp") + "/cancel", 404, problem("application.not_found"),
        body={}, token="kkAyseToken"),
    req("Another institution: the application (404)", "GET", kka("kkMehmetApp"), 404, problem("application.not_found"), token="kkKurum2Token"),
    req("Another institution: the list (404)", "GET", kkp + "/applications", 404, problem("posting.not_found"), token="kkKurum2Token"),
    req("Another institution: approving one (404)", "POST", kka("kkMehmetApp") + "/approve", 404, problem("application.not_found"),
        body={}, token="kkKurum2Token"),
    req("Another institution: approving in bulk (404)", "POST", kkp + "/applications/approve", 404, problem("posting.not_found"),
        body={"application_ids": ["{{kkMehmetApp}}"]}, token="kkKurum2Token"),
    req("A candidate cannot list the posting's applications (403)", "GET", kkp + "/applications", 403,
        problem("application.institution_only"), token="kkAyseToken"),
    req("Institution staff cannot apply (403)", "POST", kkp + "/applications", 403, problem("application.citizen_only"),
        body={}, token="kkKurumToken"),
    req("My applications need a login (401)", "GET", "/api/v1/applications", 401, problem("auth.missing_token")),
    req("My exams need a login (401)", "GET", "/api/v1/exam-invitations", 401, problem("auth.missing_token")),

    # --- The last minute of the last day: cancel and apply again ---------------------------
    kk_clock("Clock: 16 March 23:59 Istanbul, the last minute", "2030-03-16T20:59:00Z"),
    req("Still in the public list", "GET", "/api/v1/postings?per_page=100", 200, kk_listed(True)),
    kk_citizen("İbrahim: log in again", "34567890170", "kkIbrahimToken"),
    req("İbrahim: cancel until the end date", "POST", kka("kkIbrahimFirstApp") + "/cancel", 200,
        ["pm.test('cancelled by the candidate', () => { pm.expect(j.status).to.eql('cancelled'); pm.expect(j.cancellation.by).to.eql('candidate'); });"],
        body={}, token="kkIbrahimToken"),
    req("İbrahim: cancelling twice (409)", "POST", kka("kkIbrahimFirstApp") + "/cancel", 409, problem("application.cancelled"),
        body={}, token="kkIbrahimToken"),
    *kk_wizard("İbrahim again", "34567890170", "kkIbrahimToken", "kkIbrahimApp", 1, "İbrahim")[1:],
    kk_staff("Institution logs in again", "kurum.ik", "kkKurumToken"),
    req("No invitations while the window is open (409)", "POST", kkp + "/stages/1/invitations", 409, problem("posting.window_open"),
        body={"application_ids": ["{{kkAyseApp}}"]}, token="kkKurumToken"),

    # --- Midnight: the window has closed ----------------------------------------------------
    kk_clock("Clock: 17 March 00:00 Istanbul, the window closed", "2030-03-16T21:00:00Z"),
    kk_citizen("İbrahim: log in again", "34567890170", "kkIbrahimToken"),
    req("Gone from the public list", "GET", "/api/v1/postings?per_page=100", 200, kk_listed(False)),
    req("Gone from a candidate's active list", "GET", "/api/v1/postings?per_page=100", 200, kk_listed(False), token="kkIbrahimToken"),
    req("In the archive for logged-in users", "GET", "/api/v1/postings?view=archive&per_page=100", 200, kk_listed(True),
        token="kkIbrahimToken"),
    req("The archived posting is not public (404)", "GET", kkp, 404, problem("posting.not_found")),
    req("A logged-in user opens the archived posting", "GET", kkp, 200,
        ["pm.test('window closed', () => pm.expect(j.window).to.eql('closed'));"], token="kkIbrahimToken"),
    req("İbrahim: cancelling after the end date (422)", "POST", kka("kkIbrahimApp") + "/cancel", 422, problem("application.deadline_passed"),
        body={}, token="kkIbrahimToken"),
    kk_citizen("Gülşen: log in again", "45678901280", "kkGulsenToken"),
    req("Applying after the end date (422)", "POST", kkp + "/applications", 422, problem("application.window_closed"),
        body={}, token="kkGulsenToken"),
    req("İbrahim: my applications", "GET", "/api/v1/applications?per_page=100", 200, paged(1) +
        ["pm.test('the new one', () => pm.expect(j.items.map(a => a.id)).to.include(" + v("kkIbrahimApp") + "));",
         "pm.test('not the cancelled one', () => pm.expect(j.items.map(a => a.id)).to.not.include(" + v("kkIbrahimFirstApp") + "));"],
        token="kkIbrahimToken"),
    req("İbrahim: my cancelled applications", "GET", "/api/v1/applications?view=cancelled&per_page=100", 200, paged(1) +
        ["pm.test('the cancelled one', () => pm.expect(j.items.map(a => a.id)).to.include(" + v("kkIbrahimFirstApp") + "));",
         "pm.test('only cancelled', () => j.items.forEach(a => pm.expect(a.status).to.eql('cancelled')));"],
        token="kkIbrahimToken"),
    req("An unknown view (422)", "GET", "/api/v1/applications?view=all", 422, problem("application.view_unknown", "view"), token="kkIbrahimToken"),

    # --- The institution: lists, approval, cancellation with a reason ---------------------
    kk_staff("Institution logs in again", "kurum.ik", "kkKurumToken"),
    kk_staff("The other institution logs in again", "kurum2.ik", "kkKurum2Token"),
    kk_citizen("Ayşe: log in again", "10000000146", "kkAyseToken"),
    req("Another institution cannot cancel it (404)", "POST", kka("kkGulsenApp") + "/cancel", 404, problem("application.not_found"),
        body={"reason": "Başka kurumun başvurusu"}, token="kkKurum2Token"),
    req("The posting's applications (no drafts)", "GET", kkp + "/applications", 200, paged(6) +
        ["pm.test('five live and a cancelled one', () => pm.expect(j.total).to.eql(6));",
         "pm.test('in submission order', () => pm.expect(j.items[0].id).to.eql(" + v("kkAyseApp") + "));"],
        token="kkKurumToken"),
    req("Filtered by sub-posting and status", "GET", kkp + "/applications?sub_posting_no=1&status=pending", 200, paged(4) +
        ["pm.test('four pending on 1', () => pm.expect(j.total).to.eql(4));"], token="kkKurumToken"),
    req("Filtered by name (Turkish fold)", "GET", kkp + "/applications?name=ayse%20yil", 200, paged(1) +
        ["pm.test('Ayşe only', () => { pm.expect(j.total).to.eql(1); pm.expect(j.items[0].id).to.eql(" + v("kkAyseApp") + "); });"],
        token="kkKurumToken"),
    req("Drafts are not a status filter (422)", "GET", kkp + "/applications?status=draft", 422, problem("application.status_unknown"),
        token="kkKurumToken"),
    req("Bulk approval: a cancelled one is named, nothing approved (422)", "POST", kkp + "/applications/approve", 422,
        ["pm.test('names application_ids[1]', () => pm.expect(j.errors.map(e => e.field)).to.eql(['application_ids[1]']));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkIbrahimFirstApp}}"]}, token="kkKurumToken"),
    req("Ayşe's is still pending", "GET", kka("kkAyseApp"), 200,
        ["pm.test('pending', () => pm.expect(j.status).to.eql('pending'));"], token="kkAyseToken"),
    req("Bulk approval: an empty list (422)", "POST", kkp + "/applications/approve", 422, problem("bulk.size"),
        body={"application_ids": []}, token="kkKurumToken"),
    req("Approve three in bulk", "POST", kkp + "/applications/approve", 200, paged(3) +
        ["pm.test('three', () => pm.expect(j.total).to.eql(3));",
         "pm.test('approved', () => j.items.forEach(a => pm.expect(a.status).to.eql('approved')));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkMehmetApp}}", "{{kkZeynepApp}}"]}, token="kkKurumToken"),
    req("Approve one", "POST", kka("kkIbrahimApp") + "/approve", 200,
        ["pm.test('approved', () => pm.expect(j.status).to.eql('approved'));"], body={}, token="kkKurumToken"),
    req("Approving twice (409)", "POST", kka("kkIbrahimApp") + "/approve", 409, problem("application.not_pending"), body={}, token="kkKurumToken"),
    req("The institution's reason is too short (422)", "POST", kka("kkGulsenApp") + "/cancel", 422, problem("validation.failed", "reason"),
        body={"reason": "Kısa"}, token="kkKurumToken"),
    req("The institution cancels one with a reason", "POST", kka("kkGulsenApp") + "/cancel", 200,
        ["pm.test('cancelled by the institution', () => { pm.expect(j.status).to.eql('cancelled'); pm.expect(j.cancellation.by).to.eql('institution'); });"],
        body={"reason": "Lise diploması belgesi eksik."}, token="kkKurumToken"),
    req("Gülşen sees who cancelled and why", "GET", "/api/v1/applications?view=cancelled&per_page=100", 200, paged(1) +
        ["const a = j.items.find(x => x.id === " + v("kkGulsenApp") + ");",
         "pm.test('by the institution, with the reason', () => { pm.expect(a.cancellation.by).to.eql('institution'); pm.expect(a.cancellation.reason).to.eql('Lise diploması belgesi eksik.'); });",
         "pm.test('status label', () => pm.expect(a.status_label).to.eql('Başvuru İptal Edildi'));"],
        token="kkGulsenToken"),

    # --- Stage 1: the written exam ------------------------------------------------------------
    req("Stage 2 before stage 1 is approved (409)", "POST", kkp + "/stages/2/invitations", 409, problem("stage.previous_not_approved"),
        body={"application_ids": ["{{kkAyseApp}}"]}, token="kkKurumToken"),
    req("Inviting a cancelled application is named (422)", "POST", kkp + "/stages/1/invitations", 422,
        ["pm.test('names application_ids[1]', () => pm.expect(j.errors.map(e => e.field)).to.eql(['application_ids[1]']));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkGulsenApp}}"]}, token="kkKurumToken"),
    req("An unknown stage (404)", "POST", kkp + "/stages/9/invitations", 404, problem("stage.not_found"),
        body={"application_ids": ["{{kkAyseApp}}"]}, token="kkKurumToken"),
    req("Invite four to the written exam", "POST", kkp + "/stages/1/invitations", 200, paged(4) +
        ["pm.test('four', () => pm.expect(j.total).to.eql(4));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkMehmetApp}}", "{{kkZeynepApp}}", "{{kkIbrahimApp}}"]}, token="kkKurumToken"),
    kk_clock("Clock: 20 March 09:59:59 Istanbul", "2030-03-20T06:59:59Z"),
    kk_staff("Institution logs in again", "kurum.ik", "kkKurumToken"),
    req("No results before the exam (409)", "PUT", kkp + "/stages/1/results", 409, problem("stage.not_started"),
        body=KK_WRITTEN, token="kkKurumToken"),
    kk_clock("Clock: 20 March 10:00 Istanbul, the exam", "2030-03-20T07:00:00Z"),
    kk_staff("Institution logs in again", "kurum.ik", "kkKurumToken"),
    kk_staff("The other institution logs in again", "kurum2.ik", "kkKurum2Token"),
    kk_citizen("Ayşe: log in again", "10000000146", "kkAyseToken"),
    req("A score out of range and an unknown outcome, named (422)", "PUT", kkp + "/stages/1/results", 422,
        ["pm.test('two fields', () => pm.expect(j.errors.map(e => e.field)).to.eql(['results[1].score', 'results[2].outcome']));"],
        body=kk_results(("kkAyseApp", 70, "positive"), ("kkMehmetApp", 100.5, "positive"),
                        ("kkZeynepApp", 70, "maybe"), ("kkIbrahimApp", 95, "negative")), token="kkKurumToken"),
    req("Record the written exam", "PUT", kkp + "/stages/1/results", 200, paged(4) +
        ["pm.test('scores recorded', () => pm.expect(j.items.find(a => a.id === " + v("kkMehmetApp") + ").stages[0].score).to.eql(90));"],
        body=KK_WRITTEN, token="kkKurumToken"),
    req("Ayşe sees no score before the approval", "GET", kka("kkAyseApp"), 200,
        ["pm.test('current stage', () => pm.expect(j.current_stage).to.eql('Yazılı Sınav'));",
         "pm.test('invited', () => pm.expect(j.stages[0].invited).to.eql(true));",
         "pm.test('no score, Bekliyor', () => { pm.expect(j.stages[0].score).to.eql(null); pm.expect(j.stages[0].outcome).to.eql('pending'); pm.expect(j.stages[0].outcome_label).to.eql('Bekliyor'); });"],
        token="kkAyseToken"),
    req("The institution sees the score", "GET", kka("kkAyseApp"), 200,
        ["pm.test('70', () => pm.expect(j.stages[0].score).to.eql(70));"], token="kkKurumToken"),
    req("Ayşe's exams: the written exam, no score yet", "GET", "/api/v1/exam-invitations", 200, paged(1) +
        [kk_invitation("kkAyseApp", 1),
         "pm.test('invited', () => pm.expect(inv).to.be.an('object'));",
         "pm.test('no score', () => pm.expect(inv.stage.score).to.eql(null));",
         "pm.test('the changed place', () => pm.expect(inv.stage.place).to.eql('Ankara Üniversitesi Cebeci Kampüsü'));",
         "pm.test('only stage 1 so far', () => pm.expect(j.items.filter(i => i.application_id === " + v("kkAyseApp") + ").length).to.eql(1));"],
        token="kkAyseToken"),
    req("No placement before every stage is approved (409)", "POST", kkp + "/placement", 409, problem("placement.stages_not_approved"),
        body={}, token="kkKurumToken"),
    req("Another institution cannot approve the results (404)", "POST", kkp + "/stages/1/approve-results", 404, problem("posting.not_found"),
        body={}, token="kkKurum2Token"),
    req("Approve the written exam's results", "POST", kkp + "/stages/1/approve-results", 200,
        ["pm.test('stage 1', () => pm.expect(j.stage_no).to.eql(1));",
         "pm.test('approved now', () => pm.expect(j.results_approved_at).to.be.a('string'));",
         "pm.test('ETag is the posting version', () => pm.expect(pm.response.headers.get('ETag')).to.eql('\"' + j.posting_version + '\"'));"],
        body={}, token="kkKurumToken"),
    req("Approving twice (409)", "POST", kkp + "/stages/1/approve-results", 409, problem("stage.results_approved"), body={}, token="kkKurumToken"),
    req("Approved results no longer change (409)", "PUT", kkp + "/stages/1/results", 409, problem("stage.results_approved"),
        body=kk_results(("kkAyseApp", 71, "positive"), ("kkMehmetApp", 90, "positive"),
                        ("kkZeynepApp", 70, "positive"), ("kkIbrahimApp", 95, "negative")), token="kkKurumToken"),
    req("Ayşe now sees her score", "GET", kka("kkAyseApp"), 200,
        ["pm.test('70, Olumlu', () => { pm.expect(j.stages[0].score).to.eql(70); pm.expect(j.stages[0].outcome).to.eql('positive'); pm.expect(j.stages[0].outcome_label).to.eql('Olumlu'); });"],
        token="kkAyseToken"),

    # --- Stage 2: the online interview --------------------------------------------------------
    req("Who failed the written exam is not invited (422)", "POST", kkp + "/stages/2/invitations", 422,
        ["pm.test('names application_ids[1]', () => pm.expect(j.errors.map(e => e.field)).to.eql(['application_ids[1]']));",
         "pm.test('not passed', () => pm.expect(j.errors[0].code).to.eql('application.not_passed_earlier_stage'));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkIbrahimApp}}"]}, token="kkKurumToken"),
    req("Invite three to the online interview", "POST", kkp + "/stages/2/invitations", 200, paged(3) +
        ["pm.test('three', () => pm.expect(j.total).to.eql(3));"],
        body={"application_ids": ["{{kkAyseApp}}", "{{kkMehmetApp}}", "{{kkZeynepApp}}"]}, token="kkKurumToken"),
    req("Ayşe's interview: no password before its time", "GET", "/api/v1/exam-invitations", 200, paged(2) +
        [kk_invitation("kkAyseApp", 2),
         "pm.test('online', () => pm.expect(inv.stage.mode).to.eql('online'));",
         "pm.test('no access yet', () => pm.expect(inv.stage.access).to.eql(null));",
         "pm.test('from the interview time', () => pm.expect(inv.stage.access_from).to.eql('2030-03-27T10:00:00+03:00'));"],
        token="kkAyseToken"),
    req("The institution never sees the password", "GET", kka("kkAyseApp"), 200,
        ["pm.test('no access', () => pm.expect(j.stages[1].access).to.eql(null));"], token="kkKurumToken"),
    kk_clock("Clock: 27 March 10:00 Istanbul, the interview", "2030-03-27T07:00:00Z"),
    kk_citizen("Ayşe: log in again", "10000000146", "kkAyseToken"),
    req("Ayşe's interview: password and link", "GET", "/api/v1/exam-invitations", 200, paged(2) +
        [kk_invitation("kkAyseApp", 2),
         "pm.test('a ten-character password', () => pm.expect(inv.stage.access.password).to.have.lengthOf(10));",
         "pm.test('the meeting link', () => pm.expect(inv.stage.access.link.startsWith('https://cam.kariyerkapisi.local/gorusme/')).to.eql(true));",
         "pm.collectionVariables.set('kkAysePassword', inv.stage.access.password);"],
        token="kkAyseToken"),
    kk_citizen("Mehmet: log in again", "12345678950", "kkMehmetToken"),
    req("Mehmet's interview: a password of his own", "GET", "/api/v1/exam-invitations", 200, paged(2) +
        [kk_invitation("kkMehmetApp", 2),
         "pm.test('another password', () => { pm.expect(inv.stage.access.password).to.have.lengthOf(10); pm.expect(inv.stage.access.password).to.not.eql(" + v("kkAysePassword") + "); });"],
        token="kkMehmetToken"),
    kk_staff("Institution logs in again", "kurum.ik", "kkKurumToken"),
    kk_staff("The other institution logs in again", "kurum2.ik", "kkKurum2Token"),
    req("Approving without every outcome (409)", "POST", kkp + "/stages/2/approve-results", 409, problem("stage.results_incomplete"),
        body={}, token="kkKurumToken"),
    req("Record the interview: everybody ties", "PUT", kkp + "/stages/2/results", 200, paged(3),
        body=kk_results(("kkAyseApp", 80, "positive"), ("kkMehmetApp", 80, "positive"), ("kkZeynepApp", 80, "positive")),
        token="kkKurumToken"),
    req("Approve the interview's results", "POST", kkp + "/stages/2/approve-results", 200,
        ["pm.test('stage 2', () => pm.expect(j.stage_no).to.eql(2));"], body={}, token="kkKurumToken"),

    # --- Placement: asil / yedek / olumsuz ---------------------------------------------------
    req("No placement list before it is published (404)", "GET", kkp + "/placement", 404, problem("placement.not_published"),
        token="kkKurumToken"),
    req("Another institution cannot publish it (404)", "POST", kkp + "/placement", 404, problem("posting.not_found"),
        body={}, token="kkKurum2Token"),
    req("Publish the placement", "POST", kkp + "/placement", 200, KK_LINE +
        ["pm.test('Mehmet asil: best written exam', () => pm.expect(line(0)).to.eql([" + v("kkMehmetApp") + ", 'principal', 1]));",
         "pm.test('Ayşe yedek: ties with Zeynep, submitted first', () => pm.expect(line(1)).to.eql([" + v("kkAyseApp") + ", 'reserve', 2]));",
         "pm.test('Zeynep olumsuz', () => pm.expect(line(2)).to.eql([" + v("kkZeynepApp") + ", 'unsuccessful', 3]));",
         "pm.test('İbrahim olumsuz without a rank', () => pm.expect(line(3)).to.eql([" + v("kkIbrahimApp") + ", 'unsuccessful', null]));",
         "pm.test('nobody on the second position', () => pm.expect(j.sub_postings[1].candidates).to.eql([]));",
         "pm.test('labels', () => pm.expect(j.sub_postings[0].candidates.map(c => c.result_label)).to.eql(['Asil', 'Yedek', 'Olumsuz', 'Olumsuz']));",
         "pm.test('ETag: the posting version', () => pm.expect(pm.response.headers.get('ETag')).to.match(/^\"\\d+\"$/));"],
        body={}, token="kkKurumToken"),
    req("Publishing twice (409)", "POST", kkp + "/placement", 409, problem("posting.placement_published"), body={}, token="kkKurumToken"),
    req("The placement list", "GET", kkp + "/placement", 200, KK_LINE +
        ["pm.test('Mehmet first', () => pm.expect(line(0)).to.eql([" + v("kkMehmetApp") + ", 'principal', 1]));",
         "pm.test('published at', () => pm.expect(j.published_at).to.be.a('string'));"],
        token="kkKurumToken"),
    req("No cancellation after the placement (409)", "POST", kka("kkZeynepApp") + "/cancel", 409, problem("posting.placement_published"),
        body={"reason": "Yerleştirmeden sonra iptal"}, token="kkKurumToken"),
    req("Ayşe sees her placement", "GET", kka("kkAyseApp"), 200,
        ["pm.test('yedek', () => { pm.expect(j.placement.result).to.eql('reserve'); pm.expect(j.placement.result_label).to.eql('Yedek'); });",
         "pm.test('the interview score', () => pm.expect(j.stages[1].score).to.eql(80));"],
        token="kkAyseToken"),
    req("Ayşe's application history", "GET", kka("kkAyseApp") + "/history", 200, paged(5) +
        ["const notes = j.items.map(e => e.note).filter(n => n);",
         "pm.test('started first', () => pm.expect(notes[0]).to.eql('Başvuru Başlatıldı'));",
         "pm.test('submitted, approved, announced', () => pm.expect(notes).to.include.members(['Başvuru Tamamlandı: Bilişim Uzmanı', 'Başvuru Onaylandı', 'Yazılı Sınav Sonucu Açıklandı: Olumlu']));",
         "pm.test('placement last', () => pm.expect(notes[notes.length - 1]).to.eql('Yerleştirme Sonucu: Yedek'));"],
        token="kkAyseToken"),
    req("Ayşe's applications", "GET", "/api/v1/applications?per_page=100", 200, paged(1) +
        ["const a = j.items.find(x => x.id === " + v("kkAyseApp") + ");",
         "pm.test('yedek in Başvurularım', () => pm.expect(a.placement.result).to.eql('reserve'));"],
        token="kkAyseToken"),
    req("The posting's history: stages approved, placement published", "GET", kkp + "/history", 200, paged(6) +
        ["pm.test('after the change', () => pm.expect(j.items.map(e => e.note).slice(3)).to.eql(['Aşama Sonuçları Onaylandı: Yazılı Sınav', 'Aşama Sonuçları Onaylandı: Sözlü Mülakat', 'Yerleştirme Sonuçları Yayımlandı']));"],
        token="kkKurumToken"),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, ["pm.test('real', () => pm.expect(j.mode).to.eql('real'));"]),
]

# Institutions: the system administrator onboards an institution and its HR account; each run
# makes its own (names and usernames from the run's clock).
inst_set = "pm.collectionVariables.set"
institutions = [
    req("Admin logs in", "POST", "/api/v1/auth/staff/login", 200,
        [f"{inst_set}('instAdminToken', j.access_token);",
         f"{inst_set}('instSeed', String(Date.now()).slice(-8));"],
        body={"username": "admin", "password": "Kapi2026"}),
    req("Create an institution", "POST", "/api/v1/admin/institutions", 201,
        ["pm.test('named', () => pm.expect(j.name).to.include('Kurum'));",
         f"{inst_set}('instId', j.id);"],
        body={"name": "Deneme Kurum {{instSeed}}"}, token="instAdminToken"),
    req("The same name folded is 409", "POST", "/api/v1/admin/institutions", 409, problem("institution.name_taken"),
        body={"name": "DENEME KURUM {{instSeed}}"}, token="instAdminToken"),
    req("A citizen cannot create one (403)", "POST", "/api/v1/admin/institutions", 403, problem("institution.admin_only"),
        body={"name": "Yetkisiz Kurum {{instSeed}}"}, token="citizenToken"),
    req("Public list finds it folded", "GET", "/api/v1/reference/institutions?name=deneme%20kurum%20{{instSeed}}", 200,
        paged(1) + ["pm.test('the run institution', () => pm.expect(j.items.map(i => i.id)).to.include(pm.collectionVariables.get('instId')));"]),
    req("Weak password names the field (422)", "POST", "/api/v1/admin/institutions/{{instId}}/hr-accounts", 422, problem("validation.failed", "password"),
        body={"username": "ik{{instSeed}}", "display_name": "Deneme İK", "password": "123"}, token="instAdminToken"),
    req("Open an HR account", "POST", "/api/v1/admin/institutions/{{instId}}/hr-accounts", 201,
        ["pm.test('active and bound', () => { pm.expect(j.active).to.eql(true); pm.expect(j.institution_id).to.eql(pm.collectionVariables.get('instId')); });",
         f"{inst_set}('instAccountId', j.id);"],
        body={"username": "ik{{instSeed}}", "display_name": "Deneme Kurum İK", "password": "Deneme2026Ik"}, token="instAdminToken"),
    req("A taken username is 409", "POST", "/api/v1/admin/institutions/{{instId}}/hr-accounts", 409, problem("staff.username_taken"),
        body={"username": "kurum.ik", "display_name": "Başka", "password": "Deneme2026Ik"}, token="instAdminToken"),
    req("The HR account logs in", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.test('institution staff', () => pm.expect(j.actor.kind).to.eql('institution_staff'));",
         f"{inst_set}('instHrToken', j.access_token);"],
        body={"username": "ik{{instSeed}}", "password": "Deneme2026Ik"}),
    req("Its own postings (none yet)", "GET", "/api/v1/postings?view=own", 200,
        paged(0) + ["pm.test('empty', () => pm.expect(j.total).to.eql(0));"], token="instHrToken"),
    req("The institution with its accounts", "GET", "/api/v1/admin/institutions/{{instId}}", 200,
        ["pm.test('one account', () => pm.expect(j.hr_accounts.length).to.eql(1));"], token="instAdminToken"),
    req("Deactivate the account", "POST", "/api/v1/admin/hr-accounts/{{instAccountId}}/deactivate", 200,
        ["pm.test('inactive', () => pm.expect(j.active).to.eql(false));"], token="instAdminToken"),
    req("Its token stops working (401)", "GET", "/api/v1/postings?view=own", 401, problem("auth.account_inactive"), token="instHrToken"),
    req("It cannot log in (403)", "POST", "/api/v1/auth/staff/login", 403, problem("auth.account_inactive"),
        body={"username": "ik{{instSeed}}", "password": "Deneme2026Ik"}),
    req("Activate it again", "POST", "/api/v1/admin/hr-accounts/{{instAccountId}}/activate", 200,
        ["pm.test('active', () => pm.expect(j.active).to.eql(true));"], token="instAdminToken"),
    req("History in Turkish", "GET", "/api/v1/admin/institutions/{{instId}}/history", 200,
        ["pm.test('created first', () => pm.expect(j.items[0].note).to.include('Kurum Oluşturuldu'));",
         "pm.test('deactivation recorded', () => pm.expect(j.items.map(e => e.note).join(' ')).to.include('Hesap Pasifleştirildi'));"],
        token="instAdminToken"),
]

# e-İzin (work permits): four folders that run after the others on the real clock, each
# giving the real clock back when it moved it. Every run verifies its own contacts (e-mails
# and mobiles from the run's random digits, so no demo citizen's mobile meets the code rate
# limit); the employer registrations, the consulate reference and the YÖK pre-permit are
# the demo data's, so these folders expect a fresh server (`make postman`).
# The multipart uploads send the fixture files in postman/files/ (src relative to the
# repository root: newman runs from there; in the Postman app set the working directory to
# the repository root, Settings → General → Working directory).
WP_FILES = "postman/files/"


def tckn_check(nine):
    d = [int(c) for c in nine]
    d10 = ((sum(d[0:9:2]) * 7 - sum(d[1:8:2])) % 10 + 10) % 10
    return nine + str(d10) + str((sum(d) + d10) % 10)


ELNUR = {"ykn": "99100000188", "born": "1990-03-14"}
ANNA = {"ykn": tckn_check("991000002"), "born": "1984-07-02"}  # residence permit until 2027-01-10
AHMAD = {"ykn": tckn_check("991000003"), "born": "1995-12-20"}  # international protection
ABROAD_YKN = tckn_check("991000777")  # a valid YKN: an application filed from abroad has none of its own
ACADEMIC_YKN = tckn_check("991000778")
UNKNOWN_PERSON = tckn_check("200000001")
GULSEN, MEHMET, ZEYNEP, IBRAHIM, AYSE = "45678901280", "12345678950", "23456789060", "34567890170", "10000000146"
ANADOLU, BOGAZICI = "2512001010000010060000", "4711001010000030340000"

WP_JS = [
    "function addDays(s, n) { return new Date(Date.parse(s + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10); }",
    "function periodEnd(s, m) { const [y, mo, d] = s.split('-').map(Number); const t = mo - 1 + m; const ty = y + Math.floor(t / 12), tm = t % 12; const len = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate(); return d <= len ? addDays(new Date(Date.UTC(ty, tm, d)).toISOString().slice(0, 10), -1) : new Date(Date.UTC(ty, tm, len)).toISOString().slice(0, 10); }",
    "const set = (k, v) => pm.collectionVariables.set(k, v);",
]

# The run's contacts, and every date of the four folders from today in Istanbul (real clock).
WP_PREREQ = WP_JS + [
    "const seed = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');",
    "set('wpSeed', seed);",
    "set('wpGulsenMobile', '536' + seed); set('wpMehmetMobile', '535' + seed); set('wpZeynepMobile', '534' + seed);",
    "set('wpGulsenEmail', 'gulsen.' + seed + '@ornek.com.tr'); set('wpMehmetEmail', 'mehmet.' + seed + '@ornek.com.tr'); set('wpZeynepEmail', 'zeynep.' + seed + '@ornek.com.tr');",
    "const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);",
    "set('wpToday', today); set('wpPhotoDay', addDays(today, -10));",
    # The household's first permit: from ten days on, twelve months.
    "const start = addDays(today, 10), end = periodEnd(start, 12);",
    "set('wpStart', start); set('wpEnd', end);",
    # The extension: the clock at 10:00 Istanbul on the first day of the 60-day window.
    "const opens = addDays(end, -60);",
    "set('wpExtClock', opens + 'T07:00:00Z'); set('wpExtPhotoDay', addDays(opens, -10));",
    "const extStart = addDays(end, 1), extEnd = periodEnd(extStart, 24);",
    "set('wpExtStart', extStart); set('wpExtEnd', extEnd); set('wpExtTooLong', addDays(extEnd, 1));",
    # The abroad permit (after-the-permit folder): from twenty days on, twelve months.
    "const aStart = addDays(today, 20);",
    "set('wpAbroadStart', aStart); set('wpAbroadEnd', periodEnd(aStart, 12));",
    "set('wpAbroadBefore', addDays(aStart, -1)); set('wpAbroadDay1', addDays(aStart, 1)); set('wpAbroadDay5', addDays(aStart, 5));",
    "set('wpAbroadDay8', addDays(aStart, 8));",
    # Five days into it, noon Istanbul: the card printed; PTT delivers 48 hours later.
    "set('wpCardClock', addDays(aStart, 5) + 'T09:00:00Z');",
    "set('wpCardAlmost', addDays(aStart, 7) + 'T08:59:59Z'); set('wpCardDelivered', addDays(aStart, 7) + 'T09:00:00Z');",
    # The academic: from fifteen days on, twelve months.
    "const acStart = addDays(today, 15);",
    "set('wpAcadStart', acStart); set('wpAcadEnd', periodEnd(acStart, 12));",
]


def wp_citizen(name, tckn, var, checks=()):
    return req(name, "POST", "/api/v1/auth/e-devlet/login", 200,
               ["pm.test('citizen', () => pm.expect(j.actor.kind).to.eql('citizen'));",
                f"pm.collectionVariables.set('{var}', j.access_token);", *checks],
               body={"tckn": tckn, "password": "Kapi2026"})


def wp_evaluator(name="Ministry evaluator logs in"):
    return req(name, "POST", "/api/v1/auth/staff/login", 200,
               ["pm.test('ministry staff', () => pm.expect(j.actor.kind).to.eql('ministry_staff'));",
                "pm.collectionVariables.set('wpStaffToken', j.access_token);"],
               body={"username": "bakanlik.degerlendirici", "password": "Kapi2026"})


def wp_clock(name, at_var):
    return req(name, "PUT", "/api/v1/dev/clock", 200,
               ["pm.test('fixed', () => pm.expect(j.mode).to.eql('fixed'));"], body={"at": "{{" + at_var + "}}"})


def wp_real_time():
    return req("Real time again", "DELETE", "/api/v1/dev/clock", 200, ["pm.test('real', () => pm.expect(j.mode).to.eql('real'));"])


def mp(name, path, status, checks, token, data, files):
    """A multipart/form-data upload: a `data` JSON part and a `files` part for each fixture."""
    item = req(name, "POST", path, status, checks, token=token)
    fd = [{"key": "data", "type": "text", "contentType": "application/json", "value": json.dumps(data, ensure_ascii=False)}]
    fd += [{"key": "files", "type": "file", "src": WP_FILES + f} for f in files]
    item["request"]["body"] = {"mode": "formdata", "formdata": fd}
    return item


def verify_contact(who, token, channel, dest_var, var):
    """Sends a contact-verification code, reads it from the dev outbox, verifies it."""
    return [
        req(f"{who}: send a code to the {'e-mail' if channel == 'email' else 'mobile'}", "POST", "/api/v1/auth/otp", 201,
            ["pm.test('a challenge', () => pm.expect(j.id).to.be.a('string'));", f"pm.collectionVariables.set('{var}Challenge', j.id);"],
            body={"channel": channel, "destination": "{{" + dest_var + "}}", "purpose": "contact_verification"}, token=token),
        req(f"{who}: read the code from the dev outbox", "GET", "/api/v1/dev/outbox?recipient={{" + dest_var + "}}&limit=1", 200,
            ["pm.test('one message', () => pm.expect(j.length).to.eql(1));",
             f"pm.collectionVariables.set('{var}Code', j[0].body.match(/\\b\\d{{6}}\\b/)[0]);"]),
        req(f"{who}: verify the code", "POST", "/api/v1/auth/otp/{{" + var + "Challenge}}/verify", 200,
            [f"pm.test('verified', () => pm.expect(j.destination).to.eql(pm.collectionVariables.get('{dest_var}')));"],
            body={"code": "{{" + var + "Code}}"}, token=token),
    ]


def v(var):
    return f"pm.collectionVariables.get('{var}')"


def status_is(code):
    return f"pm.test('status {code}', () => pm.expect(j.evaluation.status.code).to.eql('{code}'));"


def wpu(app_var, verb=""):
    return "/api/v1/work-permits/{{" + app_var + "}}" + (("/" + verb) if verb else "")


def register(kind, email_var, mobile_var, **extra):
    return {"kind": kind, **extra, "email": "{{" + email_var + "}}", "mobile": "{{" + mobile_var + "}}"}


def employer_doc(name, emp_var, token, doc_type, file, checks=()):
    return mp(name, "/api/v1/work-permit-employers/{{" + emp_var + "}}/documents", 201,
              [f"pm.test('{doc_type} stored', () => pm.expect(j.documents.map(d => d.document_type)).to.include('{doc_type}'));", *checks],
              token, {"document_type": doc_type}, [file])


# --- Folder 1 -------------------------------------------------------------------------------
wp_employers = [
    wp_citizen("Gülşen logs in (household owner)", GULSEN, "wpGulsenToken"),
    req("Registration profile: identity from the registry", "GET", "/api/v1/work-permit-employers/profile", 200,
        ["pm.test('identity', () => { pm.expect(j.identity.tckn).to.eql('" + GULSEN + "'); pm.expect(j.identity.birth_date).to.match(/^\\d{4}-\\d{2}-\\d{2}$/); });",
         "pm.test('the run e-mail is not verified yet', () => pm.expect(j.verified_contacts.emails).to.not.include(" + v("wpGulsenEmail") + "));",
         "pm.test('no SGK workplaces', () => pm.expect(j.sgk_workplaces).to.eql([]));",
         "pm.collectionVariables.set('wpGulsenName', j.identity.first_name + ' ' + j.identity.last_name);"],
        token="wpGulsenToken", prereq=WP_PREREQ),
    req("Household with an unverified e-mail (422, names email)", "POST", "/api/v1/work-permit-employers", 422,
        problem("work_permit.contact_not_verified", "email"),
        body=register("household", "wpGulsenEmail", "wpGulsenMobile", care_kind="elderly_care"), token="wpGulsenToken"),
    *verify_contact("Gülşen", "wpGulsenToken", "email", "wpGulsenEmail", "wpGulsenEmailOtp"),
    req("Household with an unverified mobile (422, names mobile)", "POST", "/api/v1/work-permit-employers", 422,
        problem("work_permit.contact_not_verified", "mobile"),
        body=register("household", "wpGulsenEmail", "wpGulsenMobile", care_kind="elderly_care"), token="wpGulsenToken"),
    *verify_contact("Gülşen", "wpGulsenToken", "sms", "wpGulsenMobile", "wpGulsenSmsOtp"),
    req("Profile: both contacts verified", "GET", "/api/v1/work-permit-employers/profile", 200,
        ["pm.test('complete', () => pm.expect(j.verified_contacts.complete).to.eql(true));",
         "pm.test('the mobile', () => pm.expect(j.verified_contacts.mobiles).to.include(" + v("wpGulsenMobile") + "));"],
        token="wpGulsenToken"),
    req("Register the household (elderly care)", "POST", "/api/v1/work-permit-employers", 201,
        ["pm.test('household', () => { pm.expect(j.kind).to.eql('household'); pm.expect(j.care_kind).to.eql('elderly_care'); });",
         "pm.test('titled with the owner name', () => pm.expect(j.title).to.eql(" + v("wpGulsenName") + "));",
         "pm.test('owner', () => { pm.expect(j.role).to.eql('owner'); pm.expect(j.owner.tckn).to.eql('" + GULSEN + "'); });",
         "pm.test('no documents needed', () => pm.expect(j.missing_documents).to.eql([]));",
         "pm.test('Location', () => pm.expect(pm.response.headers.get('Location')).to.eql('/api/v1/work-permit-employers/' + j.id));",
         "pm.collectionVariables.set('wpHouseholdId', j.id);"],
        body=register("household", "wpGulsenEmail", "wpGulsenMobile", care_kind="elderly_care"), token="wpGulsenToken"),
    req("A second household is a duplicate (409)", "POST", "/api/v1/work-permit-employers", 409, problem("work_permit.employer_exists"),
        body=register("household", "wpGulsenEmail", "wpGulsenMobile", care_kind="child_care"), token="wpGulsenToken"),

    wp_citizen("Mehmet logs in (company)", MEHMET, "wpMehmetToken"),
    req("Mehmet's profile lists his SGK workplaces", "GET", "/api/v1/work-permit-employers/profile", 200,
        ["pm.test('Anadolu Yazılım workplaces', () => pm.expect(j.sgk_workplaces.map(w => w.sgk_no)).to.include('" + ANADOLU + "'));"],
        token="wpMehmetToken"),
    *verify_contact("Mehmet", "wpMehmetToken", "email", "wpMehmetEmail", "wpMehmetEmailOtp"),
    *verify_contact("Mehmet", "wpMehmetToken", "sms", "wpMehmetMobile", "wpMehmetSmsOtp"),
    req("A workplace he is not SGK-authorised for (422, names sgk_no)", "POST", "/api/v1/work-permit-employers", 422,
        problem("work_permit.workplace_not_authorised", "sgk_no"),
        body=register("company", "wpMehmetEmail", "wpMehmetMobile", sgk_no=BOGAZICI), token="wpMehmetToken"),
    req("A company without its SGK number (422, names sgk_no)", "POST", "/api/v1/work-permit-employers", 422,
        problem("work_permit.required", "sgk_no"), body=register("company", "wpMehmetEmail", "wpMehmetMobile"), token="wpMehmetToken"),
    req("Register the company workplace", "POST", "/api/v1/work-permit-employers", 201,
        ["pm.test('SGK title', () => pm.expect(j.title).to.eql('Anadolu Yazılım Teknolojileri A.Ş.'));",
         "pm.test('company', () => { pm.expect(j.kind).to.eql('company'); pm.expect(j.sgk_no).to.eql('" + ANADOLU + "'); });",
         "pm.test('three documents missing', () => pm.expect(j.missing_documents).to.eql(['tax_certificate', 'trade_registry_gazette', 'signature_circular']));",
         "pm.collectionVariables.set('wpCompanyId', j.id);"],
        body=register("company", "wpMehmetEmail", "wpMehmetMobile", sgk_no=ANADOLU), token="wpMehmetToken"),
    req("The same workplace again (409)", "POST", "/api/v1/work-permit-employers", 409, problem("work_permit.employer_exists"),
        body=register("company", "wpMehmetEmail", "wpMehmetMobile", sgk_no=ANADOLU), token="wpMehmetToken"),
    req("No application while documents are missing (422)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.employer_documents_missing", "employer.documents.tax_certificate") +
        ["pm.test('each missing one named', () => pm.expect(j.errors.length).to.eql(3));"],
        body={"employer_id": "{{wpCompanyId}}", "filing": "first", "route": "abroad", "reference_no": "2026000000000001"}, token="wpMehmetToken"),
    mp("A document that is not a PDF (422, names file)", "/api/v1/work-permit-employers/{{wpCompanyId}}/documents", 422,
       problem("work_permit.document_format", "file"), "wpMehmetToken", {"document_type": "tax_certificate"}, ["pdf-degil.txt"]),
    employer_doc("Upload the tax certificate", "wpCompanyId", "wpMehmetToken", "tax_certificate", "vergi-levhasi.pdf",
                 ["pm.collectionVariables.set('wpCompanyDocSha', j.documents[0].sha256);"]),
    employer_doc("Upload the trade registry gazette", "wpCompanyId", "wpMehmetToken", "trade_registry_gazette", "ticaret-sicil-gazetesi.pdf"),
    employer_doc("Upload the signature circular", "wpCompanyId", "wpMehmetToken", "signature_circular", "imza-sirkuleri.pdf",
                 ["pm.test('nothing missing', () => pm.expect(j.missing_documents).to.eql([]));"]),
    download("Download the tax certificate", "/api/v1/work-permit-employers/{{wpCompanyId}}/documents/{{wpCompanyDocSha}}",
             "application/pdf", "wpMehmetToken", "%PDF-"),

    wp_citizen("Zeynep logs in (university)", ZEYNEP, "wpZeynepToken"),
    *verify_contact("Zeynep", "wpZeynepToken", "email", "wpZeynepEmail", "wpZeynepEmailOtp"),
    *verify_contact("Zeynep", "wpZeynepToken", "sms", "wpZeynepMobile", "wpZeynepSmsOtp"),
    req("A university name too short (422, names university_name)", "POST", "/api/v1/work-permit-employers", 422,
        problem("text.length", "university_name"),
        body=register("university", "wpZeynepEmail", "wpZeynepMobile", university_name="AB"), token="wpZeynepToken"),
    req("Register the university", "POST", "/api/v1/work-permit-employers", 201,
        ["pm.test('university', () => { pm.expect(j.kind).to.eql('university'); pm.expect(j.title).to.eql('Orta Doğu Teknik Üniversitesi'); });",
         "pm.test('authorisation letter missing', () => pm.expect(j.missing_documents).to.eql(['authorisation_letter']));",
         "pm.collectionVariables.set('wpUniversityId', j.id);"],
        body=register("university", "wpZeynepEmail", "wpZeynepMobile", university_name="Orta Doğu Teknik Üniversitesi"), token="wpZeynepToken"),
    employer_doc("Upload the authorisation letter", "wpUniversityId", "wpZeynepToken", "authorisation_letter", "yetki-belgesi.pdf",
                 ["pm.test('nothing missing', () => pm.expect(j.missing_documents).to.eql([]));"]),

    # The panel: users and assignment.
    wp_citizen("İbrahim logs in", IBRAHIM, "wpIbrahimToken"),
    wp_citizen("Ayşe logs in (a stranger to these employers)", AYSE, "wpAyseToken"),
    req("Before authorisation the household is not Zeynep's (404)", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}", 404,
        problem("work_permit.employer_not_found"), token="wpZeynepToken"),
    req("Gülşen authorises Zeynep", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 201,
        ["pm.test('Zeynep', () => { pm.expect(j.tckn).to.eql('" + ZEYNEP + "'); pm.expect(j.first_name).to.eql('Zeynep'); });"],
        body={"tckn": ZEYNEP}, token="wpGulsenToken"),
    req("Gülşen authorises İbrahim", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 201,
        ["pm.test('İbrahim', () => pm.expect(j.tckn).to.eql('" + IBRAHIM + "'));"], body={"tckn": IBRAHIM}, token="wpGulsenToken"),
    req("Authorising Zeynep twice (409)", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 409,
        problem("work_permit.user_exists"), body={"tckn": ZEYNEP}, token="wpGulsenToken"),
    req("The owner herself (422)", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 422,
        problem("work_permit.already_owner"), body={"tckn": GULSEN}, token="wpGulsenToken"),
    req("A person unknown to the registry (422)", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 422,
        problem("work_permit.person_unknown"), body={"tckn": UNKNOWN_PERSON}, token="wpGulsenToken"),
    req("An authorised user cannot authorise (403)", "POST", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 403,
        problem("work_permit.owner_only"), body={"tckn": MEHMET}, token="wpZeynepToken"),
    req("Zeynep lists the users", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 200,
        ["pm.test('two users, oldest first', () => pm.expect(j.map(u => u.tckn)).to.eql(['" + ZEYNEP + "', '" + IBRAHIM + "']));"],
        token="wpZeynepToken"),
    req("Zeynep sees the household as authorised", "GET", "/api/v1/work-permit-employers", 200,
        ["const h = j.find(e => e.id === " + v("wpHouseholdId") + ");",
         "pm.test('authorised', () => pm.expect(h.role).to.eql('authorised'));",
         "pm.test('her university as owner', () => pm.expect(j.find(e => e.id === " + v("wpUniversityId") + ").role).to.eql('owner'));"],
        token="wpZeynepToken"),
    req("Zeynep opens the household", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}", 200,
        ["pm.test('authorised', () => pm.expect(j.role).to.eql('authorised'));",
         "pm.test('ETag', () => pm.expect(pm.response.headers.get('ETag')).to.match(/^\"\\d+\"$/));"], token="wpZeynepToken"),
    req("Ayşe does not see it (404)", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}", 404,
        problem("work_permit.employer_not_found"), token="wpAyseToken"),
    # The owner starts it: the cared person's kinship is checked against whoever started the
    # application (see the report: an authorised user's household application cannot name the
    # owner's mother), so the household's applications are started by its owner here.
    req("Gülşen starts an application for Ahmad Al-Hassan", "POST", "/api/v1/work-permits", 201,
        ["pm.test('draft', () => pm.expect(j.evaluation.status.code).to.eql('draft'));",
         "pm.test('Ahmad from the registry', () => pm.expect(j.foreigner.first_name).to.eql('Ahmad'));",
         "pm.collectionVariables.set('wpAhmadApp', j.id);"],
        body={"employer_id": "{{wpHouseholdId}}", "filing": "first", "route": "in_turkiye", "ykn": AHMAD["ykn"],
              "birth_date": AHMAD["born"], "care_kind": "elderly_care"}, token="wpGulsenToken"),
    req("Only the owner assigns (403)", "PUT", wpu("wpAhmadApp", "assignee"), 403, problem("work_permit.owner_only"),
        body={"assignee_tckn": IBRAHIM}, token="wpZeynepToken"),
    req("Not a user of the employer (422, names assignee_tckn)", "PUT", wpu("wpAhmadApp", "assignee"), 422,
        problem("work_permit.not_an_employer_user", "assignee_tckn"), body={"assignee_tckn": MEHMET}, token="wpGulsenToken"),
    req("Gülşen assigns it to İbrahim", "PUT", wpu("wpAhmadApp", "assignee"), 200,
        ["pm.test('masked assignee', () => pm.expect(j.assignee).to.eql('*********70'));"],
        body={"assignee_tckn": IBRAHIM}, token="wpGulsenToken"),
    req("Zeynep still reads it", "GET", wpu("wpAhmadApp"), 200, ["pm.test('assigned', () => pm.expect(j.assignee).to.eql('*********70'));"],
        token="wpZeynepToken"),
    mp("Zeynep no longer acts on it (403)", wpu("wpAhmadApp", "files"), 403, problem("work_permit.not_assigned"),
       "wpZeynepToken", {"kind": "photo"}, ["vesikalik.jpg"]),
    mp("İbrahim uploads the photo", wpu("wpAhmadApp", "files"), 201,
       ["pm.test('a JPEG', () => { pm.expect(j.kind).to.eql('photo'); pm.expect(j.media_type).to.eql('image/jpeg'); });"],
       "wpIbrahimToken", {"kind": "photo"}, ["vesikalik.jpg"]),
    req("The assignment is in the history", "GET", wpu("wpAhmadApp", "history"), 200,
        ["pm.test('assigned', () => pm.expect(j.some(e => (e.note || '').includes('atandı'))).to.eql(true));"], token="wpIbrahimToken"),
    req("Gülşen lifts the assignment", "PUT", wpu("wpAhmadApp", "assignee"), 200,
        ["pm.test('nobody', () => pm.expect(j.assignee).to.eql(null));"], body={"assignee_tckn": None}, token="wpGulsenToken"),
    mp("Every user acts on it again: Zeynep uploads the photo", wpu("wpAhmadApp", "files"), 201,
       ["pm.test('a JPEG', () => pm.expect(j.media_type).to.eql('image/jpeg'));"], "wpZeynepToken", {"kind": "photo"}, ["vesikalik.jpg"]),
    req("Only the owner revokes (403)", "DELETE", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users/" + IBRAHIM, 403,
        problem("work_permit.owner_only"), token="wpZeynepToken"),
    req("Gülşen revokes İbrahim", "DELETE", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users/" + IBRAHIM, 204, token="wpGulsenToken"),
    req("Revoking again (404)", "DELETE", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users/" + IBRAHIM, 404,
        problem("work_permit.user_not_found"), token="wpGulsenToken"),
    req("İbrahim reaches the application no more (404)", "GET", wpu("wpAhmadApp"), 404, problem("work_permit.not_found"), token="wpIbrahimToken"),
    req("Nor the users (404)", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/users", 404,
        problem("work_permit.employer_not_found"), token="wpIbrahimToken"),
    wp_evaluator(),
    req("Staff do not register employers (403)", "GET", "/api/v1/work-permit-employers", 403, problem("work_permit.citizen_only"),
        token="wpStaffToken"),
]


# --- Folder 2 -------------------------------------------------------------------------------
def personal(photo_day="{{wpPhotoDay}}", sha="{{wpPhotoSha}}"):
    return {"registry_confirmed": True, "email": "yabanci@example.com", "mobile": "0532 123 45 67",
            "photo": {"sha256": sha, "taken_on": photo_day, "confirmed": True}, "marital_status": "single"}


def general(passport_no, expires):
    return {"passport_no": passport_no, "passport_expires_on": expires, "languages": ["Türkçe"], "education_level": "high_school"}


def household_job(start, end, relation="mother"):
    return {"province": "06", "district_code": 1231, "open_address": "Bahçelievler Mah. Demo Sok. No:5 Çankaya",
            "occupation_code": "5322.01", "cared_person_tckn": AYSE, "kinship_relation": relation,
            "wage": "25000.00", "work_mode": "full_time", "work_type": "indefinite",
            "period_start": start, "period_end": end, "reason": "Yaşlı annemin evde bakımı için."}


def company_job(start, end, **changes):
    return {"province": "06", "district_code": 1231, "open_address": "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya",
            "occupation_code": "2512.04", "wage": "90000.00", "work_mode": "full_time", "work_type": "fixed_term",
            "period_start": start, "period_end": end, "reason": "Yazılım geliştirme ekibinde uzman ihtiyacı.", **changes}


BASE_DOCS = [("employment_contract", "sozlesme.pdf"), ("proof_of_income", "gelir-belgesi.pdf"), ("passport_identity_page", "pasaport.pdf")]


def wizard(p, app, token, personal_body, general_body, job_body, extra_docs=()):
    """Photo, steps 1–3, the PDFs and the documents step, the petition and its e-signature."""
    docs = list(BASE_DOCS) + list(extra_docs)
    items = [
        mp(f"{p}: upload the photo", wpu(app, "files"), 201,
           ["pm.test('photo', () => pm.expect(j.kind).to.eql('photo'));", "pm.collectionVariables.set('wpPhotoSha', j.sha256);"],
           token, {"kind": "photo"}, ["vesikalik.jpg"]),
        req(f"{p}: personal", "PUT", wpu(app, "personal"), 200,
            ["pm.test('next: general', () => pm.expect(j.wizard.next_step).to.eql('general'));"], body=personal_body, token=token),
        req(f"{p}: general", "PUT", wpu(app, "general"), 200,
            ["pm.test('next: job', () => pm.expect(j.wizard.next_step).to.eql('job'));"], body=general_body, token=token),
        req(f"{p}: job", "PUT", wpu(app, "job"), 200,
            ["pm.test('period saved', () => pm.expect(j.steps.job.period_start).to.eql(" + json.dumps(job_body["period_start"]).replace('"{{', "pm.collectionVariables.get('").replace('}}"', "')") + "));"],
            body=job_body, token=token),
    ]
    for t, f in docs:
        items.append(mp(f"{p}: upload {f}", wpu(app, "files"), 201,
                        ["pm.test('a PDF', () => pm.expect(j.media_type).to.eql('application/pdf'));",
                         f"pm.collectionVariables.set('wpDoc_{t}', j.sha256);"], token, {"kind": "pdf"}, [f]))
    items += [
        req(f"{p}: documents", "PUT", wpu(app, "documents"), 200,
            [f"pm.test('{len(docs)} documents', () => pm.expect(j.steps.documents.length).to.eql({len(docs)}));",
             "pm.test('next: result', () => pm.expect(j.wizard.next_step).to.eql('result'));"],
            body={"documents": [{"document_type": t, "sha256": "{{wpDoc_" + t + "}}"} for t, _ in docs]}, token=token),
        req(f"{p}: generate the petition", "POST", wpu(app, "petition"), 201,
            ["pm.test('sha256', () => pm.expect(j.sha256).to.match(/^[0-9a-f]{64}$/));",
             "pm.collectionVariables.set('wpPetitionSha', j.sha256);"], body={}, token=token),
        req(f"{p}: e-sign the result", "PUT", wpu(app, "result"), 200,
            ["pm.test('signed', () => pm.expect(j.steps.result.signed_at).to.be.a('string'));",
             "pm.test('nothing left', () => pm.expect(j.wizard.next_step).to.eql(null));"],
            body={"petition_sha256": "{{wpPetitionSha}}", "confirmed": True, "e_sign": True}, token=token),
    ]
    return items


def approve_and_pay(p, app, token, ykn, final="approved"):
    return [
        req(f"{p}: the evaluator approves pending fees", "POST", wpu(app, "approve"), 200,
            [status_is("awaiting_fees"),
             "const refs = j.ministry.fee_references;",
             "pm.test('two references 9130, 9267', () => pm.expect(refs.map(f => f.account_code)).to.eql(['9130', '9267']));",
             "pm.collectionVariables.set('wpPermitRef', refs[0].reference_no); pm.collectionVariables.set('wpPermitAmount', refs[0].amount);",
             "pm.collectionVariables.set('wpCardRef', refs[1].reference_no); pm.collectionVariables.set('wpCardAmount', refs[1].amount);"],
            body={}, token="wpStaffToken"),
        req(f"{p}: pay the permit fee at GİB", "POST", "/api/v1/gib/payments", 201,
            ["pm.test('permit fee', () => pm.expect(j.purpose.code).to.eql('permit_fee'));",
             "pm.test('still awaiting the card fee', () => pm.expect(j.application_status.code).to.eql('awaiting_fees'));"],
            body={"reference_no": "{{wpPermitRef}}", "ykn": ykn, "amount": "{{wpPermitAmount}}"}, token=token),
        req(f"{p}: pay the card fee at GİB", "POST", "/api/v1/gib/payments", 201,
            [f"pm.test('{final}', () => pm.expect(j.application_status.code).to.eql('{final}'));"],
            body={"reference_no": "{{wpCardRef}}", "ykn": ykn, "amount": "{{wpCardAmount}}"}, token=token),
    ]


def cents(var, delta):
    return f"pm.collectionVariables.set('{var}{'Under' if delta < 0 else 'Over'}', ((Math.round(Number(pm.collectionVariables.get('{var}')) * 100) {'-' if delta < 0 else '+'} 1) / 100).toFixed(2));"


H = "wpHouseholdApp"
start_body = {"employer_id": "{{wpHouseholdId}}", "filing": "first", "route": "in_turkiye", "ykn": ELNUR["ykn"],
              "birth_date": ELNUR["born"], "care_kind": "elderly_care"}
wp_household = [
    wp_citizen("Gülşen logs in", GULSEN, "wpGulsenToken"),
    wp_citizen("Ayşe logs in (another citizen)", AYSE, "wpAyseToken"),
    wp_evaluator(),
    req("Start: a birth date the registry does not know (422, names ykn)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.foreigner_not_found", "ykn"), body={**start_body, "birth_date": "1990-03-15"}, token="wpGulsenToken"),
    req("Start: a YKN not in the registry (422, names ykn)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.foreigner_not_found", "ykn"), body={**start_body, "ykn": tckn_check("991000999")}, token="wpGulsenToken"),
    req("Start: a birth date in the wrong format (422, names birth_date)", "POST", "/api/v1/work-permits", 422,
        problem("validation.failed", "birth_date"), body={**start_body, "birth_date": "14.03.1990"}, token="wpGulsenToken"),
    req("Start: a residence permit ending within six months (422, names residence_permit)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.residence_too_short", "residence_permit"),
        body={**start_body, "ykn": ANNA["ykn"], "birth_date": ANNA["born"]}, token="wpGulsenToken"),
    req("Start: an extension without a running permit (422)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.no_running_permit"), body={**start_body, "filing": "extension"}, token="wpGulsenToken"),
    req("Start: another citizen's employer (404)", "POST", "/api/v1/work-permits", 404,
        problem("work_permit.employer_not_found"), body=start_body, token="wpAyseToken"),
    req("Start Elnur's first in-Türkiye application", "POST", "/api/v1/work-permits", 201,
        [status_is("draft"),
         "pm.test('Elnur from the registry', () => pm.expect(j.foreigner.first_name).to.eql('Elnur'));",
         "pm.test('next: personal', () => pm.expect(j.wizard.next_step).to.eql('personal'));",
         "pm.collectionVariables.set('" + H + "', j.id);"],
        body=start_body, token="wpGulsenToken"),
    req("Read the draft", "GET", wpu(H), 200,
        ["pm.test('household, first, in Türkiye', () => { pm.expect(j.kind.employer_kind.code).to.eql('household'); pm.expect(j.kind.filing.code).to.eql('first'); pm.expect(j.kind.route.code).to.eql('in_turkiye'); });",
         "pm.test('a deadline', () => pm.expect(j.evaluation.deadline).to.match(/^\\d{4}-\\d{2}-\\d{2}$/));"],
        token="wpGulsenToken"),
    mp("A PDF is not a photo (422, names file)", wpu(H, "files"), 422, problem("work_permit.photo_format", "file"),
       "wpGulsenToken", {"kind": "photo"}, ["sozlesme.pdf"]),
    mp("A text file is not a PDF (422, names file)", wpu(H, "files"), 422, problem("work_permit.document_format", "file"),
       "wpGulsenToken", {"kind": "pdf"}, ["pdf-degil.txt"]),
    mp("Another citizen cannot upload (404)", wpu(H, "files"), 404, problem("work_permit.not_found"),
       "wpAyseToken", {"kind": "pdf"}, ["sozlesme.pdf"]),
    req("Steps in order: general before personal (422)", "PUT", wpu(H, "general"), 422, problem("work_permit.step_order"),
        body=general("C01234567", "2030-05-01"), token="wpGulsenToken"),
    req("A photo that was not uploaded (422, names personal.photo.sha256)", "PUT", wpu(H, "personal"), 422,
        problem("work_permit.file_not_uploaded", "personal.photo.sha256"), body=personal(sha="a" * 64), token="wpGulsenToken"),
    *wizard("Elnur", H, "wpGulsenToken", personal(), general("C01234567", "2030-05-01"),
            household_job("{{wpStart}}", "{{wpEnd}}"))[:4],
    req("A kinship the registry denies (422, names job.kinship_relation)", "PUT", wpu(H, "job"), 422,
        problem("work_permit.kinship_not_verified", "job.kinship_relation"), body=household_job("{{wpStart}}", "{{wpEnd}}", "child"),
        token="wpGulsenToken"),
    *wizard("Elnur", H, "wpGulsenToken", personal(), general("C01234567", "2030-05-01"),
            household_job("{{wpStart}}", "{{wpEnd}}"))[4:8],
    req("Submitting early names the missing steps (422)", "POST", wpu(H, "submit"), 422, problem("work_permit.steps_incomplete"),
        body={}, token="wpGulsenToken"),
    req("Signing before the petition exists (422)", "PUT", wpu(H, "result"), 422, problem("work_permit.petition_not_generated"),
        body={"petition_sha256": "b" * 64, "confirmed": True, "e_sign": True}, token="wpGulsenToken"),
    *wizard("Elnur", H, "wpGulsenToken", personal(), general("C01234567", "2030-05-01"),
            household_job("{{wpStart}}", "{{wpEnd}}"))[8:9],
    {**download("Read the petition PDF", wpu(H, "petition"), "application/pdf", "wpGulsenToken", "%PDF-")},
    req("Signing an outdated petition (422)", "PUT", wpu(H, "result"), 422, problem("work_permit.petition_outdated"),
        body={"petition_sha256": "c" * 64, "confirmed": True, "e_sign": True}, token="wpGulsenToken"),
    req("Saved as a draft, not signed", "PUT", wpu(H, "result"), 200,
        ["pm.test('still to sign', () => pm.expect(j.wizard.next_step).to.eql('result'));"],
        body={"petition_sha256": "{{wpPetitionSha}}", "confirmed": True, "e_sign": False}, token="wpGulsenToken"),
    *wizard("Elnur", H, "wpGulsenToken", personal(), general("C01234567", "2030-05-01"),
            household_job("{{wpStart}}", "{{wpEnd}}"))[9:],
    req("Submit to the ministry", "POST", wpu(H, "submit"), 200,
        [status_is("submitted"),
         "pm.test('the period', () => { pm.expect(j.period.start).to.eql(" + v("wpStart") + "); pm.expect(j.period.end).to.eql(" + v("wpEnd") + "); pm.expect(j.period.months).to.eql(12); });",
         "pm.test('wage kept', () => pm.expect(j.steps.job.wage).to.eql('25000.00'));",
         "pm.collectionVariables.set('wpHouseholdDocSha', j.steps.documents[0].sha256);"],
        body={}, token="wpGulsenToken"),
    req("Submitting twice (409)", "POST", wpu(H, "submit"), 409, problem("work_permit.not_a_draft"), body={}, token="wpGulsenToken"),
    req("Submitted steps are frozen (409)", "PUT", wpu(H, "general"), 409, problem("work_permit.not_a_draft"),
        body=general("C01234567", "2030-05-01"), token="wpGulsenToken"),
    req("The employer's list: in evaluation", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/work-permits?list=in_evaluation", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(H) + "));"], token="wpGulsenToken"),
    req("An unknown list (422, names list)", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/work-permits?list=nope", 422,
        problem("work_permit.unknown_code", "list"), token="wpGulsenToken"),
    download("The employer downloads a document", wpu(H, "files/{{wpHouseholdDocSha}}"), "application/pdf", "wpGulsenToken", "%PDF-"),
    download("The ministry downloads it too", wpu(H, "files/{{wpHouseholdDocSha}}"), "application/pdf", "wpStaffToken", "%PDF-"),
    req("Another citizen cannot (404)", "GET", wpu(H, "files/{{wpHouseholdDocSha}}"), 404, problem("work_permit.not_found"), token="wpAyseToken"),
    req("The ministry's queue has it", "GET", "/api/v1/ministry/work-permits?per_page=100", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(H) + "));"], token="wpStaffToken"),
    req("Drafts are not in the queue (422)", "GET", "/api/v1/ministry/work-permits?status=draft", 422,
        problem("work_permit.status_not_listed"), token="wpStaffToken"),
    req("The queue is for evaluators (403)", "GET", "/api/v1/ministry/work-permits", 403, problem("work_permit.evaluator_only"),
        token="wpGulsenToken"),
    req("The employer cannot evaluate (403)", "POST", wpu(H, "start-evaluation"), 403, problem("work_permit.evaluator_only"),
        body={}, token="wpGulsenToken"),
    req("Start the evaluation", "POST", wpu(H, "start-evaluation"), 200, [status_is("under_evaluation")], body={}, token="wpStaffToken"),
    req("Starting twice (409)", "POST", wpu(H, "start-evaluation"), 409, problem("work_permit.invalid_transition"), body={}, token="wpStaffToken"),
    req("Ask for a missing document", "POST", wpu(H, "request-documents"), 200,
        [status_is("missing_documents"), "pm.test('the note', () => pm.expect(j.evaluation.request_note).to.eql('Kira sözleşmesini yükleyiniz.'));"],
        body={"note": "Kira sözleşmesini yükleyiniz."}, token="wpStaffToken"),
    req("The employer's list: awaiting documents", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/work-permits?list=awaiting_documents", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(H) + "));"], token="wpGulsenToken"),
    mp("The missing document must be a PDF (422, names files[0])", wpu(H, "missing-documents"), 422,
       problem("work_permit.document_format", "files[0]"), "wpGulsenToken",
       {"documents": [{"document_type": "other", "file_index": 0}]}, ["pdf-degil.txt"]),
    mp("Upload the missing document", wpu(H, "missing-documents"), 200,
       [status_is("under_evaluation"), "pm.test('the file', () => pm.expect(j.ministry.documents[0].file_name).to.eql('ek-belge.pdf'));"],
       "wpGulsenToken", {"documents": [{"document_type": "other", "file_index": 0}]}, ["ek-belge.pdf"]),
    req("The evaluator approves pending fees", "POST", wpu(H, "approve"), 200,
        [status_is("awaiting_fees"),
         "const refs = j.ministry.fee_references;",
         "pm.test('two references 9130, 9267', () => pm.expect(refs.map(f => f.account_code)).to.eql(['9130', '9267']));",
         "pm.test('permit fee first', () => pm.expect(refs[0].account.code).to.eql('permit_fee'));",
         "pm.test('unpaid', () => refs.forEach(f => pm.expect(f.paid_at).to.eql(null)));",
         "pm.collectionVariables.set('wpPermitRef', refs[0].reference_no); pm.collectionVariables.set('wpPermitAmount', refs[0].amount);",
         "pm.collectionVariables.set('wpCardRef', refs[1].reference_no); pm.collectionVariables.set('wpCardAmount', refs[1].amount);",
         cents("wpPermitAmount", -1), cents("wpPermitAmount", 1)],
        body={}, token="wpStaffToken"),
    req("GİB: a cent under (422, names amount)", "POST", "/api/v1/gib/payments", 422, problem("fee.amount_mismatch", "amount"),
        body={"reference_no": "{{wpPermitRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmountUnder}}"}, token="wpGulsenToken"),
    req("GİB: a cent over (422, names amount)", "POST", "/api/v1/gib/payments", 422, problem("fee.amount_mismatch", "amount"),
        body={"reference_no": "{{wpPermitRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmountOver}}"}, token="wpGulsenToken"),
    req("GİB: another foreigner's YKN (422, names ykn)", "POST", "/api/v1/gib/payments", 422, problem("fee.ykn_mismatch", "ykn"),
        body={"reference_no": "{{wpPermitRef}}", "ykn": ANNA["ykn"], "amount": "{{wpPermitAmount}}"}, token="wpGulsenToken"),
    req("GİB: an unknown reference (404)", "POST", "/api/v1/gib/payments", 404, problem("fee.reference_not_found"),
        body={"reference_no": "UIGM209900000001", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmount}}"}, token="wpGulsenToken"),
    req("GİB: staff do not pay (403)", "POST", "/api/v1/gib/payments", 403, problem("fee.payer_only"),
        body={"reference_no": "{{wpPermitRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmount}}"}, token="wpStaffToken"),
    req("GİB: the permit fee, exact (any citizen pays)", "POST", "/api/v1/gib/payments", 201,
        ["pm.test('permit fee', () => pm.expect(j.purpose.code).to.eql('permit_fee'));",
         "pm.test('amount', () => pm.expect(j.amount).to.eql(" + v("wpPermitAmount") + "));",
         "pm.test('awaiting the card fee', () => pm.expect(j.application_status.code).to.eql('awaiting_fees'));"],
        body={"reference_no": "{{wpPermitRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmount}}"}, token="wpAyseToken"),
    req("GİB: paying twice (409)", "POST", "/api/v1/gib/payments", 409, problem("fee.already_paid"),
        body={"reference_no": "{{wpPermitRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpPermitAmount}}"}, token="wpGulsenToken"),
    req("GİB: the card fee, exact: approved", "POST", "/api/v1/gib/payments", 201,
        ["pm.test('card fee', () => pm.expect(j.purpose.code).to.eql('card_fee'));",
         "pm.test('approved', () => pm.expect(j.application_status.code).to.eql('approved'));"],
        body={"reference_no": "{{wpCardRef}}", "ykn": ELNUR["ykn"], "amount": "{{wpCardAmount}}"}, token="wpGulsenToken"),
    req("The approved permit", "GET", wpu(H), 200,
        [status_is("approved"), "pm.test('both fees paid', () => j.ministry.fee_references.forEach(f => pm.expect(f.paid_at).to.be.a('string')));"],
        token="wpGulsenToken"),
    req("History in order", "GET", wpu(H, "history"), 200,
        ["pm.test('states', () => pm.expect(j.map(e => e.to_state)).to.eql(['draft', 'submitted', 'under_evaluation', 'missing_documents', 'under_evaluation', 'awaiting_fees', 'awaiting_fees', 'approved']));",
         "pm.test('approved by GİB', () => pm.expect(j[j.length - 1].actor).to.eql('system:gib'));"],
        token="wpGulsenToken"),
    req("The employer's list: approved", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/work-permits?list=approved", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(H) + "));"], token="wpGulsenToken"),
    req("Another citizen does not see it (404)", "GET", wpu(H), 404, problem("work_permit.not_found"), token="wpAyseToken"),
    req("Nor its history (404)", "GET", wpu(H, "history"), 404, problem("work_permit.not_found"), token="wpAyseToken"),
]


# --- Folder 3: abroad (company, MFA reference) and academic (university, YÖK) --------------
A, U = "wpAbroadApp", "wpAcademicApp"
abroad = {"employer_id": "{{wpCompanyId}}", "filing": "first", "route": "abroad"}
academic = {"employer_id": "{{wpUniversityId}}", "filing": "first", "route": "yok_pre_permit"}
acad_job = company_job("{{wpAcadStart}}", "{{wpAcadEnd}}", occupation_code="2310.01",
                       reason="Bilgisayar mühendisliği bölümünde öğretim üyesi.")
wp_abroad_academic = [
    wp_citizen("Mehmet logs in", MEHMET, "wpMehmetToken"),
    wp_citizen("Zeynep logs in", ZEYNEP, "wpZeynepToken"),
    wp_evaluator(),
    *[req(f"Abroad: reference {ref} refused ({code})", "POST", "/api/v1/work-permits", 422, problem(code, "reference_no"),
          body={**abroad, "reference_no": ref}, token="wpMehmetToken")
      for ref, code in [("2026000000000002", "work_permit.reference_expired"), ("2026000000000003", "work_permit.reference_used"),
                        ("2026000000000009", "work_permit.reference_unknown"), ("123", "work_permit.reference_format")]],
    req("Abroad: start with the fresh consulate reference", "POST", "/api/v1/work-permits", 201,
        [status_is("draft"),
         "pm.test('the foreigner from the reference', () => { pm.expect(j.foreigner.by).to.eql('reference'); pm.expect(j.foreigner.first_name).to.eql('Dilnoza'); });",
         "pm.test('company, abroad', () => { pm.expect(j.kind.employer_kind.code).to.eql('company'); pm.expect(j.kind.route.code).to.eql('abroad'); });",
         "pm.collectionVariables.set('" + A + "', j.id);"],
        body={**abroad, "reference_no": "2026000000000001"}, token="wpMehmetToken"),
    *wizard("Abroad", A, "wpMehmetToken", personal(), general("FA1234567", "2031-04-30"), company_job("{{wpAbroadStart}}", "{{wpAbroadEnd}}")),
    req("Abroad: submit", "POST", wpu(A, "submit"), 200, [status_is("submitted")], body={}, token="wpMehmetToken"),
    req("Abroad: the reference is used now (422)", "POST", "/api/v1/work-permits", 422, problem("work_permit.reference_used", "reference_no"),
        body={**abroad, "reference_no": "2026000000000001"}, token="wpMehmetToken"),
    req("Abroad: start the evaluation", "POST", wpu(A, "start-evaluation"), 200, [status_is("under_evaluation")], body={}, token="wpStaffToken"),
    *approve_and_pay("Abroad", A, "wpMehmetToken", ABROAD_YKN),
    req("Abroad: approved", "GET", wpu(A), 200, [status_is("approved")], token="wpMehmetToken"),

    req("Academic: a rejected YÖK pre-permit (422)", "POST", "/api/v1/work-permits", 422,
        problem("work_permit.yok_pre_permit_refused", "yok_pre_permit_no"), body={**academic, "yok_pre_permit_no": "20260003"}, token="wpZeynepToken"),
    req("Academic: start with the approved YÖK pre-permit", "POST", "/api/v1/work-permits", 201,
        [status_is("draft"),
         "pm.test('the YÖK pre-permit', () => pm.expect(j.foreigner.yok_pre_permit_no).to.eql('20260001'));",
         "pm.test('university', () => pm.expect(j.kind.employer_kind.code).to.eql('university'));",
         "pm.collectionVariables.set('" + U + "', j.id);"],
        body={**academic, "yok_pre_permit_no": "20260001"}, token="wpZeynepToken"),
    *wizard("Academic", U, "wpZeynepToken", personal(), general("K98765432", "2031-01-01"), {**acad_job, "premiums_paid_abroad": False},
            [("diploma", "diploma.pdf")])[:3],
    req("Academic: the job without premiums paid abroad (422)", "PUT", wpu(U, "job"), 422,
        problem("work_permit.required", "job.premiums_paid_abroad"), body=acad_job, token="wpZeynepToken"),
    *wizard("Academic", U, "wpZeynepToken", personal(), general("K98765432", "2031-01-01"), {**acad_job, "premiums_paid_abroad": False},
            [("diploma", "diploma.pdf")])[3:],
    req("Academic: submit", "POST", wpu(U, "submit"), 200,
        [status_is("submitted"), "pm.test('a diploma too', () => pm.expect(j.steps.documents.map(d => d.document_type.code)).to.include('diploma'));"],
        body={}, token="wpZeynepToken"),
]

# --- Folder 4: rejection, appeal, review, second decision; a waiver ---------------------------
W = "wpAhmadApp"
wp_appeal = [
    wp_citizen("Zeynep logs in", ZEYNEP, "wpZeynepToken"),
    wp_citizen("Gülşen logs in", GULSEN, "wpGulsenToken"),
    wp_evaluator(),
    req("Academic: start the evaluation", "POST", wpu(U, "start-evaluation"), 200, [status_is("under_evaluation")], body={}, token="wpStaffToken"),
    req("A rejection needs a reason (422, names reason)", "POST", wpu(U, "reject"), 422, ["pm.test('names reason', () => pm.expect(j.errors.map(e => e.field)).to.include('reason'));"],
        body={"reason": ""}, token="wpStaffToken"),
    req("Academic: rejected", "POST", wpu(U, "reject"), 200,
        [status_is("rejected"),
         "pm.test('the reason', () => pm.expect(j.evaluation.rejection_reason).to.eql('Görev tanımı kadro ile uyuşmuyor.'));",
         "pm.test('30 days to appeal', () => pm.expect(j.evaluation.deadline).to.match(/^\\d{4}-\\d{2}-\\d{2}$/));",
         "pm.test('appeal not used', () => pm.expect(j.evaluation.appeal_used).to.eql(false));"],
        body={"reason": "Görev tanımı kadro ile uyuşmuyor."}, token="wpStaffToken"),
    req("The employer's list: rejected", "GET", "/api/v1/work-permit-employers/{{wpUniversityId}}/work-permits?list=rejected", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(U) + "));"], token="wpZeynepToken"),
    mp("The appeal justification must be a PDF (422)", wpu(U, "appeal"), 422, problem("work_permit.document_format"),
       "wpZeynepToken", {}, ["pdf-degil.txt"]),
    mp("An appeal without its justification (422)", wpu(U, "appeal"), 422, problem("work_permit.appeal_document_required"),
       "wpZeynepToken", {}, []),
    mp("Another employer cannot appeal (404)", wpu(U, "appeal"), 404, problem("work_permit.not_found"),
       "wpGulsenToken", {}, ["itiraz-gerekcesi.pdf"]),
    mp("Appeal, e-signed, with the justification PDF", wpu(U, "appeal"), 200,
       [status_is("appealed"),
        "pm.test('signed by Zeynep', () => { pm.expect(j.ministry.appeal.signed_at).to.be.a('string'); pm.expect(j.ministry.appeal.signed_by).to.eql('*********60'); });",
        "pm.test('the document', () => pm.expect(j.ministry.appeal.document_sha256).to.match(/^[0-9a-f]{64}$/));"],
       "wpZeynepToken", {}, ["itiraz-gerekcesi.pdf"]),
    mp("Appealing twice (409)", wpu(U, "appeal"), 409, problem("work_permit.invalid_transition"), "wpZeynepToken", {}, ["itiraz-gerekcesi.pdf"]),
    req("The appeal is in the ministry's queue", "GET", "/api/v1/ministry/work-permits?status=appealed&per_page=100", 200,
        paged(1) + ["pm.test('has it', () => pm.expect(j.items.map(a => a.id)).to.include(" + v(U) + "));"], token="wpStaffToken"),
    req("Review the appeal", "POST", wpu(U, "review-appeal"), 200, [status_is("under_evaluation")], body={}, token="wpStaffToken"),
    *approve_and_pay("Academic (second decision)", U, "wpZeynepToken", ACADEMIC_YKN),
    req("Academic: history in order", "GET", wpu(U, "history"), 200,
        ["pm.test('states', () => pm.expect(j.map(e => e.to_state)).to.eql(['draft', 'submitted', 'under_evaluation', 'rejected', 'appealed', 'under_evaluation', 'awaiting_fees', 'awaiting_fees', 'approved']));"],
        token="wpStaffToken"),

    # A waiver: Ahmad's application (started in the first folder) through to submission, rejected, waived.
    req("Ahmad: the draft kept the photo İbrahim uploaded", "GET", wpu(W), 200,
        [status_is("draft"), "pm.test('next: personal', () => pm.expect(j.wizard.next_step).to.eql('personal'));"], token="wpGulsenToken"),
    *wizard("Ahmad", W, "wpGulsenToken", personal(),
            {"international_protection": True, "languages": ["Arapça", "Türkçe"], "education_level": "high_school"},
            household_job("{{wpStart}}", "{{wpEnd}}")),
    req("Ahmad: submit", "POST", wpu(W, "submit"), 200, [status_is("submitted")], body={}, token="wpGulsenToken"),
    req("Ahmad: start the evaluation", "POST", wpu(W, "start-evaluation"), 200, [status_is("under_evaluation")], body={}, token="wpStaffToken"),
    req("Ahmad: rejected", "POST", wpu(W, "reject"), 200, [status_is("rejected")], body={"reason": "Gelir belgesi yetersiz."}, token="wpStaffToken"),
    wp_citizen("Ayşe logs in (another citizen)", AYSE, "wpAyseToken"),
    req("Another citizen cannot waive (404)", "POST", wpu(W, "waive-appeal"), 404, problem("work_permit.not_found"), body={}, token="wpAyseToken"),
    req("Gülşen waives the appeal, e-signed", "POST", wpu(W, "waive-appeal"), 200,
        [status_is("appeal_waived"),
         "pm.test('signed by Gülşen', () => pm.expect(j.ministry.waiver.signed_by).to.eql('*********80'));",
         "pm.test('the signed text kept', () => pm.expect(j.ministry.waiver.document_sha256).to.match(/^[0-9a-f]{64}$/));"],
        body={}, token="wpGulsenToken"),
    req("Waiving twice (409)", "POST", wpu(W, "waive-appeal"), 409, problem("work_permit.invalid_transition"), body={}, token="wpGulsenToken"),
    mp("No appeal after a waiver (409)", wpu(W, "appeal"), 409, problem("work_permit.invalid_transition"), "wpGulsenToken", {}, ["itiraz-gerekcesi.pdf"]),
]

# --- Folder 5: the household permit's extension in the 60 days before its end ---------------
X = "wpExtensionApp"
ext_body = {**start_body, "filing": "extension"}
ext_wizard = wizard("Extension", X, "wpGulsenToken", personal("{{wpExtPhotoDay}}"), general("C01234567", "2030-05-01"),
                    household_job("{{wpExtStart}}", "{{wpExtTooLong}}"))
wp_extension = [
    wp_citizen("Gülşen logs in", GULSEN, "wpGulsenToken"),
    req("Running permits today: Elnur's", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/running-permits", 200,
        ["pm.test('Elnur\\'s permit', () => pm.expect(j.map(a => a.id)).to.include(" + v(H) + "));"], token="wpGulsenToken"),
    wp_clock("Clock: 10:00 Istanbul, 60 days before the permit ends", "wpExtClock"),
    wp_citizen("Gülşen logs in again", GULSEN, "wpGulsenToken"),
    wp_citizen("Ayşe logs in again", AYSE, "wpAyseToken"),
    req("Running permits: Elnur's, ending on its day", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/running-permits", 200,
        ["const a = j.find(x => x.id === " + v(H) + ");",
         "pm.test('listed', () => pm.expect(a).to.be.an('object'));",
         "pm.test('ends on the period end', () => pm.expect(a.period.end).to.eql(" + v("wpEnd") + "));"], token="wpGulsenToken"),
    req("Another citizen cannot list them (404)", "GET", "/api/v1/work-permit-employers/{{wpHouseholdId}}/running-permits", 404,
        problem("work_permit.employer_not_found"), token="wpAyseToken"),
    req("Start the extension", "POST", "/api/v1/work-permits", 201,
        [status_is("draft"), "pm.test('extension', () => pm.expect(j.kind.filing.code).to.eql('extension'));",
         "pm.collectionVariables.set('" + X + "', j.id);"], body=ext_body, token="wpGulsenToken"),
    *ext_wizard,
    req("Two years and a day is too long (422, names job.period_end)", "POST", wpu(X, "submit"), 422,
        problem("work_permit.extension_too_long", "job.period_end"), body={}, token="wpGulsenToken"),
    req("Extension: the job for two years", "PUT", wpu(X, "job"), 200,
        ["pm.test('end', () => pm.expect(j.steps.job.period_end).to.eql(" + v("wpExtEnd") + "));"],
        body=household_job("{{wpExtStart}}", "{{wpExtEnd}}"), token="wpGulsenToken"),
    *ext_wizard[-3:],
    req("Submit the extension", "POST", wpu(X, "submit"), 200,
        [status_is("submitted"),
         "pm.test('extension', () => pm.expect(j.kind.filing.code).to.eql('extension'));",
         "pm.test('from the day after the permit, two years', () => { pm.expect(j.period.start).to.eql(" + v("wpExtStart") + "); pm.expect(j.period.end).to.eql(" + v("wpExtEnd") + "); });"],
        body={}, token="wpGulsenToken"),
    wp_real_time(),
]

# --- Folder 6: after the permit (the abroad permit of the third folder) ---------------------
base_sow = wpu(A, "start-of-work")
wp_after = [
    wp_citizen("Mehmet logs in", MEHMET, "wpMehmetToken"),
    wp_evaluator(),
    req("No card yet", "GET", wpu(A, "card"), 200,
        ["pm.test('no card', () => { pm.expect(j.card).to.eql(null); pm.expect(j.ptt).to.eql(null); pm.expect(j.cards_printed).to.eql(0); });"],
        token="wpMehmetToken"),
    req("Lost card before the permit is in force (422)", "POST", wpu(A, "lost-card"), 422, problem("work_permit.permit_not_in_force"),
        body={}, token="wpMehmetToken"),
    wp_clock("Clock: noon Istanbul, five days into the permit", "wpCardClock"),
    wp_citizen("Mehmet logs in again", MEHMET, "wpMehmetToken"),
    wp_citizen("Ayşe logs in again", AYSE, "wpAyseToken"),
    wp_evaluator("Evaluator logs in again"),
    req("The employer does not print cards (403)", "POST", wpu(A, "card/print"), 403, problem("work_permit.evaluator_only"),
        body={}, token="wpMehmetToken"),
    req("The ministry prints the card; PTT takes it", "POST", wpu(A, "card/print"), 200,
        ["const c = j.after.card;",
         "pm.test('shipped', () => pm.expect(c.status.code).to.eql('shipped'));",
         "pm.test('PTT tracking number', () => pm.expect(c.tracking_no).to.match(/^KP\\d{11}TR$/));",
         "pm.test('printed, shipped', () => pm.expect(c.events.map(e => e.code)).to.eql(['printed', 'shipped']));",
         "pm.test('one card', () => pm.expect(j.after.cards_printed).to.eql(1));",
         "pm.collectionVariables.set('wpTrackingNo', c.tracking_no);"],
        body={}, token="wpStaffToken"),
    req("Printing twice (409)", "POST", wpu(A, "card/print"), 409, problem("work_permit.card_already_printed"), body={}, token="wpStaffToken"),
    req("Another citizen cannot track it (404)", "GET", wpu(A, "card"), 404, problem("work_permit.not_found"), token="wpAyseToken"),
    wp_clock("Clock: a second before PTT delivers", "wpCardAlmost"),
    wp_citizen("Mehmet logs in again", MEHMET, "wpMehmetToken"),
    req("Tracking: still on the way", "GET", wpu(A, "card"), 200,
        ["pm.test('shipped', () => pm.expect(j.card.status.code).to.eql('shipped'));",
         "pm.test('same tracking number', () => pm.expect(j.ptt.tracking_no).to.eql(" + v("wpTrackingNo") + "));",
         "pm.test('accepted, in transit', () => pm.expect(j.ptt.events.map(e => e.code)).to.eql(['accepted', 'in_transit']));",
         "pm.test('not delivered', () => pm.expect(j.ptt.delivered_at).to.eql(null));"],
        token="wpMehmetToken"),
    wp_clock("Clock: PTT's delivery time", "wpCardDelivered"),
    wp_citizen("Mehmet logs in again", MEHMET, "wpMehmetToken"),
    wp_citizen("Ayşe logs in again", AYSE, "wpAyseToken"),
    wp_evaluator("Evaluator logs in again"),
    req("Tracking: delivered", "GET", wpu(A, "card"), 200,
        ["pm.test('delivered', () => { pm.expect(j.card.status.code).to.eql('delivered'); pm.expect(j.card.status.label).to.eql('Teslim Edildi'); });",
         "pm.test('three PTT events', () => pm.expect(j.ptt.events.length).to.eql(3));",
         "pm.test('at the delivery time', () => pm.expect(Date.parse(j.card.delivered_at)).to.eql(Date.parse(" + v("wpCardDelivered") + ")));"],
        token="wpMehmetToken"),
    mp("Start of work: a day still to come (422)", base_sow, 422, problem("work_permit.start_in_future"), "wpMehmetToken",
       {"started_on": "{{wpAbroadDay8}}"}, ["sgk-bildirge.pdf"]),
    mp("Start of work: the notice must be a PDF (422, names files[0])", base_sow, 422, problem("work_permit.document_format", "files[0]"),
       "wpMehmetToken", {"started_on": "{{wpAbroadDay1}}"}, ["vesikalik.jpg"]),
    mp("Start of work: without the notice (422)", base_sow, 422, problem("work_permit.one_document"), "wpMehmetToken",
       {"started_on": "{{wpAbroadDay1}}"}, []),
    mp("Start of work: before the permit (422)", base_sow, 422, problem("work_permit.start_outside_permit"), "wpMehmetToken",
       {"started_on": "{{wpAbroadBefore}}"}, ["sgk-bildirge.pdf"]),
    mp("Start of work: another citizen (404)", base_sow, 404, problem("work_permit.not_found"), "wpAyseToken",
       {"started_on": "{{wpAbroadDay1}}"}, ["sgk-bildirge.pdf"]),
    mp("Start of work notified with the SGK notice", base_sow, 200,
       ["const s = j.after.start_of_work;",
        "pm.test('the day', () => pm.expect(s.started_on).to.eql(" + v("wpAbroadDay1") + "));",
        "pm.test('the notice', () => { pm.expect(s.document.file_name).to.eql('sgk-bildirge.pdf'); pm.expect(s.document.sha256).to.match(/^[0-9a-f]{64}$/); });"],
       "wpMehmetToken", {"started_on": "{{wpAbroadDay1}}"}, ["sgk-bildirge.pdf"]),
    mp("Start of work twice (409)", base_sow, 409, problem("work_permit.start_already_notified"), "wpMehmetToken",
       {"started_on": "{{wpAbroadDay1}}"}, ["sgk-bildirge.pdf"]),
    req("The employer does not ask for documents (403)", "POST", wpu(A, "document-requests"), 403, problem("work_permit.evaluator_only"),
        body={"note": "Kira sözleşmesi"}, token="wpMehmetToken"),
    req("The ministry asks for a document", "POST", wpu(A, "document-requests"), 201,
        ["const d = j.after.document_requests[0];",
         "pm.test('open, no 1', () => { pm.expect(d.status).to.eql('open'); pm.expect(d.no).to.eql(1); });",
         "pm.test('Location', () => pm.expect(pm.response.headers.get('Location')).to.eql('/api/v1/work-permits/' + j.id + '/document-requests/1'));"],
        body={"note": "Güncel kira sözleşmesini yükleyiniz."}, token="wpStaffToken"),
    req("The employer sees the open request", "GET", wpu(A), 200,
        ["pm.test('the note', () => pm.expect(j.after.document_requests[0].note).to.eql('Güncel kira sözleşmesini yükleyiniz.'));"],
        token="wpMehmetToken"),
    mp("No such request (404)", wpu(A, "document-requests/2/upload"), 404, problem("work_permit.document_request_not_found"),
       "wpMehmetToken", {}, ["ek-belge.pdf"]),
    mp("The requested document must be a PDF (422)", wpu(A, "document-requests/1/upload"), 422, problem("work_permit.document_format"),
       "wpMehmetToken", {}, ["pdf-degil.txt"]),
    mp("Upload the requested document", wpu(A, "document-requests/1/upload"), 200,
       ["const d = j.after.document_requests[0];",
        "pm.test('answered', () => pm.expect(d.status).to.eql('answered'));",
        "pm.test('the file and note', () => { pm.expect(d.answer.document.file_name).to.eql('ek-belge.pdf'); pm.expect(d.answer.note).to.eql('İstenen belge ektedir.'); });"],
       "wpMehmetToken", {"note": "İstenen belge ektedir."}, ["ek-belge.pdf"]),
    mp("Answering twice (409)", wpu(A, "document-requests/1/upload"), 409, problem("work_permit.document_request_answered"),
       "wpMehmetToken", {}, ["ek-belge.pdf"]),
    req("Lost card: the fee", "POST", wpu(A, "lost-card"), 200,
        ["const c = j.ministry.lost_cards[0];",
         "pm.test('awaiting payment', () => pm.expect(c.status.code).to.eql('awaiting_payment'));",
         "pm.test('share + card fee', () => pm.expect(Math.round(Number(c.permit_fee_share) * 100) + Math.round(Number(c.card_fee) * 100)).to.eql(Math.round(Number(c.amount) * 100)));",
         "pm.collectionVariables.set('wpLostRef', c.reference_no); pm.collectionVariables.set('wpLostAmount', c.amount);",
         cents("wpLostAmount", -1)],
        body={}, token="wpMehmetToken"),
    req("A second request while one is open (409)", "POST", wpu(A, "lost-card"), 409, problem("work_permit.lost_card_open"), body={}, token="wpMehmetToken"),
    req("Notifying before paying (422)", "POST", wpu(A, "lost-card/notify-payment"), 422, problem("work_permit.lost_card_not_paid"),
        body={}, token="wpMehmetToken"),
    req("GİB: the lost-card fee a cent under (422)", "POST", "/api/v1/gib/payments", 422, problem("fee.amount_mismatch", "amount"),
        body={"reference_no": "{{wpLostRef}}", "ykn": ABROAD_YKN, "amount": "{{wpLostAmountUnder}}"}, token="wpMehmetToken"),
    req("GİB: the lost-card fee, exact", "POST", "/api/v1/gib/payments", 201,
        ["pm.test('lost card', () => pm.expect(j.purpose.code).to.eql('lost_card'));"],
        body={"reference_no": "{{wpLostRef}}", "ykn": ABROAD_YKN, "amount": "{{wpLostAmount}}"}, token="wpMehmetToken"),
    req("Notify the payment: a new card is asked for", "POST", wpu(A, "lost-card/notify-payment"), 200,
        ["pm.test('notified', () => pm.expect(j.ministry.lost_cards[0].status.code).to.eql('payment_notified'));",
         "pm.test('reprint requested', () => pm.expect(j.after.reprint_requested).to.eql(true));"],
        body={}, token="wpMehmetToken"),
    req("The ministry prints the new card", "POST", wpu(A, "card/print"), 200,
        ["pm.test('second card shipped', () => { pm.expect(j.after.cards_printed).to.eql(2); pm.expect(j.after.card.status.code).to.eql('shipped'); });",
         "pm.test('reprint done', () => pm.expect(j.after.reprint_requested).to.eql(false));",
         "pm.test('a new tracking number', () => pm.expect(j.after.card.tracking_no).to.not.eql(" + v("wpTrackingNo") + "));"],
        body={}, token="wpStaffToken"),
    req("Termination: tomorrow is refused (422, names termination_date)", "POST", wpu(A, "termination"), 422,
        problem("work_permit.termination_in_future", "termination_date"), body={"termination_date": "{{wpAbroadDay8}}", "reason": "resignation"},
        token="wpMehmetToken"),
    req("Termination: an unknown reason (422)", "POST", wpu(A, "termination"), 422, problem("work_permit.unknown_code"),
        body={"termination_date": "{{wpAbroadDay5}}", "reason": "bored"}, token="wpMehmetToken"),
    req("Termination: another citizen (404)", "POST", wpu(A, "termination"), 404, problem("work_permit.not_found"),
        body={"termination_date": "{{wpAbroadDay5}}", "reason": "resignation"}, token="wpAyseToken"),
    req("Termination: resignation two days ago", "POST", wpu(A, "termination"), 200,
        ["const t = j.after.termination;",
         "pm.test('the day', () => pm.expect(t.termination_date).to.eql(" + v("wpAbroadDay5") + "));",
         "pm.test('İstifa', () => { pm.expect(t.reason.code).to.eql('resignation'); pm.expect(t.reason.label).to.eql('İstifa'); });",
         status_is("approved")],
        body={"termination_date": "{{wpAbroadDay5}}", "reason": "resignation"}, token="wpMehmetToken"),
    req("Terminating twice (409)", "POST", wpu(A, "termination"), 409, problem("work_permit.permit_terminated"),
        body={"termination_date": "{{wpAbroadDay5}}", "reason": "death"}, token="wpMehmetToken"),
    req("Running permits no longer list it", "GET", "/api/v1/work-permit-employers/{{wpCompanyId}}/running-permits", 200,
        ["pm.test('not listed', () => pm.expect(j.map(a => a.id)).to.not.include(" + v(A) + "));"], token="wpMehmetToken"),
    req("No new card for a terminated permit (409)", "POST", wpu(A, "card/print"), 409, problem("work_permit.permit_terminated"),
        body={}, token="wpStaffToken"),
    req("History after the permit", "GET", wpu(A, "history"), 200,
        ["const s = j.map(e => e.to_state);",
         "pm.test('card, start, document, lost card, termination', () => pm.expect(s).to.include.members(['card_printed', 'card_shipped', 'card_delivered', 'start_of_work_notified', 'document_requested', 'document_uploaded', 'card_reprint_requested', 'termination_requested']));",
         "pm.test('termination last', () => pm.expect(s[s.length - 1]).to.eql('termination_requested'));",
         "pm.test('PTT delivered it', () => pm.expect(j.find(e => e.to_state === 'card_delivered').actor).to.eql('system:ptt'));"],
        token="wpMehmetToken"),
    wp_real_time(),
]


# --- Integrators: accounts, feeds, webhooks -----------------------------------------------

def key(var="intKey"):
    return {"X-Api-Key": "{{" + var + "}}"}


feed_page = [
    "pm.test('is a feed page', () => { pm.expect(j.events).to.be.an('array'); pm.expect(j.next_cursor).to.be.a('string'); pm.expect(j.has_more).to.be.a('boolean'); });",
    "pm.test('events in order', () => j.events.forEach((e, i) => { if (i > 0) pm.expect(e.seq).to.be.above(j.events[i - 1].seq); }));",
]

integrators = [
    req("Admin issues an integrator account", "POST", "/api/v1/integrators", 201,
        ["pm.test('key shown once', () => pm.expect(j.api_key).to.match(/^kapi_[0-9a-f]{48}$/));",
         "pm.test('prefix of the key', () => pm.expect(j.api_key.startsWith(j.api_key_prefix)).to.be.true);",
         "pm.collectionVariables.set('intKey', j.api_key);",
         "pm.collectionVariables.set('intId', j.id);"],
        body={"name": "Başkent 153 Kent Uygulaması {{runId}}"}, token="adminToken"),
    req("A name is required", "POST", "/api/v1/integrators", 422, problem("validation.failed", "name"),
        body={"name": "x"}, token="adminToken"),
    req("An unknown e-İzin employer is refused", "POST", "/api/v1/integrators", 422,
        problem("validation.failed", "work_permit_employer_id"),
        body={"name": "İK Sistemi", "work_permit_employer_id": "0190f000-0000-7000-8000-000000000000"}, token="adminToken"),
    req("A citizen cannot issue accounts", "POST", "/api/v1/integrators", 403, problem("integrator.forbidden"),
        body={"name": "Benim Uygulamam"}, token="citizenToken"),
    req("Admin lists the accounts", "GET", "/api/v1/integrators", 200,
        paged(1) + ["pm.test('no key in the list', () => pm.expect(JSON.stringify(j)).not.to.include(pm.collectionVariables.get('intKey')));"],
        token="adminToken"),
    req("The account behind the key", "GET", "/api/v1/integrators/me", 200,
        ["pm.test('same account', () => pm.expect(j.id).to.eql(pm.collectionVariables.get('intId')));"], headers=key()),
    req("No key", "GET", "/api/v1/integrators/me", 401, problem("integrator.missing_api_key")),
    req("A wrong key", "GET", "/api/v1/integrators/me", 401, problem("integrator.invalid_api_key"),
        headers={"X-Api-Key": "kapi_000000000000000000000000000000000000000000000000"}),
    req("Postings feed (public): first page", "GET", "/api/v1/feeds/postings?limit=2", 200,
        feed_page + ["pm.test('at most 2', () => pm.expect(j.events.length).to.be.at.most(2));",
                     "pm.test('published postings only', () => j.events.forEach(e => pm.expect(e.type).to.match(/^posting\\./)));",
                     "pm.collectionVariables.set('intCursor', j.next_cursor);"]),
    req("Postings feed: the next page resumes after the cursor", "GET", "/api/v1/feeds/postings?limit=2&cursor={{intCursor}}", 200,
        feed_page + ["pm.test('after the cursor', () => j.events.forEach(e => pm.expect(e.seq).to.be.above(Number(pm.collectionVariables.get('intCursor')))));"]),
    req("Labour-demands feed (public)", "GET", "/api/v1/feeds/labour-demands", 200,
        feed_page + ["pm.test('labour demand events', () => j.events.forEach(e => pm.expect(e.resource_kind).to.eql('labour_demand')));"]),
    req("Petitions feed needs credentials", "GET", "/api/v1/feeds/petitions", 401, problem("auth.required")),
    req("Petitions feed with the integrator key", "GET", "/api/v1/feeds/petitions", 200, feed_page, headers=key()),
    req("Petitions feed: a citizen is refused", "GET", "/api/v1/feeds/petitions", 403, problem("feed.forbidden"), token="citizenToken"),
    req("Work-permit feed: an unbound integrator is refused", "GET", "/api/v1/feeds/work-permits", 403,
        problem("feed.forbidden"), headers=key()),
    req("Ministry evaluator logs in (feeds)", "POST", "/api/v1/auth/staff/login", 200,
        ["pm.collectionVariables.set('intMinistryToken', j.access_token);"],
        body={"username": "bakanlik.degerlendirici", "password": "Kapi2026"}),
    req("Work-permit feed (Ministry)", "GET", "/api/v1/feeds/work-permits?limit=1000", 200,
        feed_page + ["pm.test('work-permit events', () => j.events.forEach(e => pm.expect(e.resource_kind).to.eql('work_permit')));"],
        token="intMinistryToken"),
    req("Unknown feed", "GET", "/api/v1/feeds/job-seekers", 404, problem("feed.not_found")),
    req("Bad cursor", "GET", "/api/v1/feeds/postings?cursor=abc", 422, problem("validation.failed", "cursor")),
    req("Bad limit", "GET", "/api/v1/feeds/postings?limit=0", 422, problem("validation.failed", "limit")),
    req("Register a webhook", "POST", "/api/v1/webhooks", 201,
        ["pm.test('secret shown once', () => pm.expect(j.secret).to.match(/^whsec_[0-9a-f]{64}$/));",
         "pm.test('events kept', () => pm.expect(j.events).to.eql(['petition.created', 'petition.status_changed']));",
         "pm.collectionVariables.set('intHookId', j.id);"],
        body={"url": "https://hooks.example.com/kapi/{{runId}}", "events": ["petition.created", "petition.status_changed"]}, headers=key()),
    req("Webhook refusals name each field", "POST", "/api/v1/webhooks", 422,
        problem("validation.failed", "url") + [
            "pm.test('names events[1] and events[2]', () => pm.expect(j.errors.map(e => e.field)).to.include.members(['events[1]', 'events[2]']));"],
        body={"url": "https://10.0.0.5/hook", "events": ["petition.created", "work_permit.created", "petition.deleted"]}, headers=key()),
    req("A webhook needs a key", "POST", "/api/v1/webhooks", 401, problem("integrator.missing_api_key"),
        body={"url": "https://hooks.example.com/kapi", "events": ["petition.created"]}),
    req("List webhooks (no secret)", "GET", "/api/v1/webhooks", 200,
        ["pm.test('the webhook is listed', () => pm.expect(j.map(w => w.id)).to.include(pm.collectionVariables.get('intHookId')));",
         "pm.test('no secret', () => pm.expect(JSON.stringify(j)).not.to.include('whsec_'));"], headers=key()),
    req("Get the webhook", "GET", "/api/v1/webhooks/{{intHookId}}", 200,
        ["pm.test('same id', () => pm.expect(j.id).to.eql(pm.collectionVariables.get('intHookId')));"], headers=key()),
    req("Its delivery log", "GET", "/api/v1/webhooks/{{intHookId}}/deliveries", 200, paged(0), headers=key()),
    req("Delivery log: bad status", "GET", "/api/v1/webhooks/{{intHookId}}/deliveries?status=lost", 422,
        problem("validation.failed", "status"), headers=key()),
    req("Remove the webhook", "DELETE", "/api/v1/webhooks/{{intHookId}}", 204, headers=key()),
    req("The removed webhook is gone", "GET", "/api/v1/webhooks/{{intHookId}}", 404, problem("webhook.not_found"), headers=key()),
    req("Admin revokes the account", "DELETE", "/api/v1/integrators/{{intId}}", 200,
        ["pm.test('revoked', () => pm.expect(j.revoked_at).to.be.a('string'));"], token="adminToken"),
    req("The revoked key stops working", "GET", "/api/v1/integrators/me", 401, problem("integrator.invalid_api_key"), headers=key()),
]

WP_FOLDER_NOTE = ("Multipart uploads send the fixture files in postman/files/ (a JPEG photo, small PDFs, a text file that is "
                  "not a PDF), referenced relative to the repository root: newman runs from there (make postman); in the "
                  "Postman app set Settings → General → Working directory to the repository root. ")


# On an unexpected status the e-İzin requests print the response body (newman's console
# output), so a failed run names the server's problem.
for folder in (wp_employers, wp_household, wp_abroad_academic, wp_appeal, wp_extension, wp_after):
    for item in folder:
        test = item["event"][0]["script"]["exec"]
        expected = test[0].split("have.status(")[1].split(")")[0]
        test.insert(1, f"if (pm.response.code !== {expected}) console.log(pm.info.requestName + ': ' + pm.response.code + ' ' + pm.response.text());")

WP_VARIABLES = sorted({m for folder in (wp_employers, wp_household, wp_abroad_academic, wp_appeal, wp_extension, wp_after)
                       for m in re.findall(r"(?:set\('|\{\{)(wp\w+)", json.dumps(folder, ensure_ascii=False))})

# Integrators — schema.org JobPosting (JSON-LD): a posting and a labour demand of this run, on
# both sides of their last application day (dev clock), then real time again.
LD = "application/ld+json"
LD_SHAPE = [
    "const str = (x) => typeof x === 'string' && x.trim().length > 0;",
    "pm.test('@context and @type', () => { pm.expect(j['@context']).to.eql('https://schema.org'); pm.expect(j['@type']).to.eql('JobPosting'); });",
    "pm.test('required: title, description, datePosted', () => { pm.expect(str(j.title)).to.eql(true); pm.expect(str(j.description)).to.eql(true); pm.expect(j.datePosted).to.match(/^\\d{4}-\\d{2}-\\d{2}$/); });",
    "pm.test('required: hiringOrganization', () => { pm.expect(j.hiringOrganization['@type']).to.eql('Organization'); pm.expect(str(j.hiringOrganization.name)).to.eql(true); });",
    "pm.test('required: jobLocation as Places with PostalAddresses', () => { pm.expect(j.jobLocation).to.be.an('array').that.is.not.empty; j.jobLocation.forEach(p => { pm.expect(p['@type']).to.eql('Place'); pm.expect(p.address['@type']).to.eql('PostalAddress'); pm.expect(p.address.addressCountry).to.eql('TR'); pm.expect(str(p.address.addressRegion)).to.eql(true); }); });",
    "pm.test('recommended: validThrough (end of the last day, Istanbul)', () => pm.expect(j.validThrough).to.match(/^\\d{4}-\\d{2}-\\d{2}T23:59:59\\+03:00$/));",
    "pm.test('recommended: employmentType', () => { pm.expect(j.employmentType).to.be.an('array').that.is.not.empty; j.employmentType.forEach(t => pm.expect(['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN', 'VOLUNTEER', 'PER_DIEM', 'OTHER']).to.include(t)); });",
    "pm.test('recommended: identifier', () => { pm.expect(j.identifier['@type']).to.eql('PropertyValue'); pm.expect(str(j.identifier.name)).to.eql(true); pm.expect(str(j.identifier.value)).to.eql(true); });",
    "pm.test('recommended: directApply', () => pm.expect(j.directApply).to.be.a('boolean'));",
]


def ld_clock(name, at):
    return req(name, "PUT", "/api/v1/dev/clock", 200, [f"pm.test('fixed', () => pm.expect(j.mode).to.eql('fixed'));"], body={"at": at})


def ld_posting():
    b = kk_posting()
    b["title"] = "JSON-LD Deneme İlanı {{kkSeed}}"
    b["starts_on"], b["ends_on"] = "2031-03-01", "2031-03-15"
    b["sub_postings"][1]["employment_type"] = "temporary_worker"
    b["stages"] = [{"kind": "interview", "starts_at": "2031-03-27T10:00:00+03:00", "mode": "online"}]
    return b


ldp = "/api/v1/postings/{{ldPostingId}}"
json_ld = [
    ld_clock("Clock: 1 March 2031, 12:00 Istanbul", "2031-03-01T09:00:00Z"),
    kk_staff("Institution HR logs in", "kurum.ik", "ldKurumToken"),
    req("Draft a posting", "POST", "/api/v1/postings", 201,
        ["pm.collectionVariables.set('ldPostingId', j.id);", "pm.collectionVariables.set('ldPostingNo', String(j.posting_no));",
         "pm.collectionVariables.set('ldInstitutionId', j.institution.id);"],
        body=ld_posting(), token="ldKurumToken", prereq=KK_SEED),
    req("A draft has no JSON-LD (404)", "GET", ldp + "/job-posting", 404, problem("posting.not_found")),
    req("Publish it", "POST", ldp + "/publish", 200, ["pm.test('published', () => pm.expect(j.status).to.eql('published'));"],
        token="ldKurumToken"),
    req("The posting as a JobPosting", "GET", ldp + "/job-posting", 200, LD_SHAPE + [
        "pm.test('title', () => pm.expect(j.title).to.eql('JSON-LD Deneme İlanı ' + pm.collectionVariables.get('kkSeed')));",
        "pm.test('datePosted and validThrough', () => { pm.expect(j.datePosted).to.eql('2031-03-01'); pm.expect(j.validThrough).to.eql('2031-03-15T23:59:59+03:00'); });",
        "pm.test('employment types of both positions', () => pm.expect(j.employmentType).to.eql(['FULL_TIME', 'TEMPORARY']));",
        "pm.test('Ankara and İstanbul', () => pm.expect(j.jobLocation.map(p => p.address.addressRegion)).to.eql(['Ankara', 'İstanbul']));",
        "pm.test('the institution and its id', () => { pm.expect(j.hiringOrganization.name).to.eql('Aile ve Sosyal Hizmetler Bakanlığı'); pm.expect(j.hiringOrganization.identifier.value).to.eql(" + v("ldInstitutionId") + "); });",
        "pm.test('İlan No', () => { pm.expect(j.identifier.name).to.eql('İlan No'); pm.expect(j.identifier.value).to.eql(" + v("ldPostingNo") + "); });",
        "pm.test('applied for through the wizard', () => pm.expect(j.directApply).to.eql(false));",
        "pm.test('no salary stated', () => pm.expect(j).to.not.have.property('baseSalary'));",
    ], ctype=LD),
    ld_clock("Clock: the last application day, 23:59:59 Istanbul", "2031-03-15T20:59:59Z"),
    req("Still public on its last second", "GET", ldp + "/job-posting", 200, LD_SHAPE, ctype=LD),
    ld_clock("Clock: the next day, 00:00 Istanbul", "2031-03-15T21:00:00Z"),
    req("Closed: no JSON-LD (404)", "GET", ldp + "/job-posting", 404, problem("posting.not_found")),
    req("Unknown posting (404)", "GET", "/api/v1/postings/0190aaaa-0000-7000-8000-000000000000/job-posting", 404, problem("posting.not_found")),
    ld_clock("Clock: back to 1 March 2031", "2031-03-01T09:00:00Z"),
    req("Employer logs in", "POST", "/api/v1/auth/employer/login", 200, ["pm.collectionVariables.set('ldEmployerToken', j.access_token);"],
        body={"tckn": "12345678950", "password": "Kapi2026", "employer_id": "{{employerId}}"}),
    req("Open a labour demand with a wage", "POST", "/api/v1/labour-demands", 201,
        ["pm.collectionVariables.set('ldTalepNo', String(j.talep_no));"], body=demand_body("2031-03-20"), token="ldEmployerToken"),
    req("The open job as a JobPosting", "GET", "/api/v1/open-jobs/{{ldTalepNo}}/job-posting", 200, LD_SHAPE + [
        "pm.test('position and dates', () => { pm.expect(j.title).to.include('Forklift Operatörü'); pm.expect(j.datePosted).to.eql('2031-03-01'); pm.expect(j.validThrough).to.eql('2031-03-20T23:59:59+03:00'); });",
        "pm.test('full time', () => pm.expect(j.employmentType).to.eql(['FULL_TIME']));",
        "pm.test('Çankaya, Ankara', () => { pm.expect(j.jobLocation[0].address.addressRegion).to.eql('Ankara'); pm.expect(j.jobLocation[0].address.addressLocality).to.eql('Çankaya'); });",
        "pm.test('Talep No', () => pm.expect(j.identifier.value).to.eql(" + v("ldTalepNo") + "));",
        "pm.test('monthly wage in TRY', () => { pm.expect(j.baseSalary['@type']).to.eql('MonetaryAmount'); pm.expect(j.baseSalary.currency).to.eql('TRY'); pm.expect(j.baseSalary.value.value).to.eql(35000); pm.expect(j.baseSalary.value.unitText).to.eql('MONTH'); });",
        "pm.test('applied for directly', () => pm.expect(j.directApply).to.eql(true));",
    ], ctype=LD),
    ld_clock("Clock: the demand's last day, 23:59:59 Istanbul", "2031-03-20T20:59:59Z"),
    req("Still open on its last second", "GET", "/api/v1/open-jobs/{{ldTalepNo}}/job-posting", 200, LD_SHAPE, ctype=LD),
    ld_clock("Clock: the next day, 00:00 Istanbul", "2031-03-20T21:00:00Z"),
    req("Expired: no JSON-LD (404)", "GET", "/api/v1/open-jobs/{{ldTalepNo}}/job-posting", 404, problem("open_job.not_found")),
    req("Real time again", "DELETE", "/api/v1/dev/clock", 200, ["pm.test('real', () => pm.expect(j.mode).to.eql('real'));"]),
]

# Integrators — Open311 GeoReport v2: a client discovers, reads a service definition, posts a
# form with the demo key, resolves the token, reads and lists; the desk closes the petition
# through Kapı's API and the request turns closed. Nothing personal in any answer.
O311 = "/open311/v2"
O311_PERSONAL = [
    "function keysOf(v, out) { if (Array.isArray(v)) v.forEach(x => keysOf(x, out)); else if (v && typeof v === 'object') Object.keys(v).forEach(k => { out.push(k); keysOf(v[k], out); }); return out; }",
    "const ks = keysOf(j, []);",
    "['tckn', 'first_name', 'last_name', 'phone', 'email', 'description', 'address_string', 'lat', 'long'].forEach(k => pm.test('no ' + k, () => pm.expect(ks).to.not.include(k)));",
    "['10000000146', 'Yılmaz', '5321000001', 'ornek.com.tr', 'Cumhuriyet Cad', 'bahçe duvarı'].forEach(x => pm.test('does not show ' + x, () => pm.expect(pm.response.text()).to.not.include(x)));",
]


def o311_error(status, needle):
    return [f"pm.test('an Open311 error array', () => {{ pm.expect(j).to.be.an('array').that.is.not.empty; j.forEach(e => {{ pm.expect(e.code).to.eql({status}); pm.expect(e.description).to.be.a('string'); }}); }});",
            f"pm.test('says {needle}', () => pm.expect(j.map(e => e.description).join(' ')).to.include('{needle}'));"]


def o311_form(**changes):
    f = {"api_key": "kapi-demo-integrator-key", "service_code": "H01.04", "first_name": "Ayşe", "last_name": "Yılmaz",
         "phone": "5321000001", "email": "ayse@ornek.com.tr",
         "description": "Okulun bahçe duvarı yıkılmak üzere; öğrenciler için tehlike oluşturuyor.",
         "address_string": "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5",
         "attribute[tckn]": "10000000146", "attribute[mother_maiden_first_letter]": "K", "attribute[mother_maiden_last_letter]": "A",
         "attribute[province]": "6", "attribute[district]": "6007", "attribute[neighbourhood]": "60070001",
         "attribute[education_level]": "bachelor", "attribute[sector]": "{{o311Sector}}"}
    for k, val in changes.items():
        if val is None:
            f.pop(k, None)
        else:
            f[k] = val
    return list(f.items())


def o311_list(name, query, checks, status=200, prereq=None):
    return req(name, "GET", O311 + "/requests.json" + query, status, checks, ctype="application/json", prereq=prereq)


def listed(found, var="o311Id"):
    neg = "" if found else "not."
    return [f"pm.test('{'lists' if found else 'does not list'} the request', () => pm.expect(j.map(r => r.service_request_id)).to.{neg}include({v(var)}));"]


O311_WINDOW = [
    "const now = Date.now();",
    "pm.collectionVariables.set('o311End', new Date(now).toISOString());",
    "pm.collectionVariables.set('o311Start', new Date(now - 90 * 86400000).toISOString());",
    "pm.collectionVariables.set('o311TooEarly', new Date(now - 90 * 86400000 - 1000).toISOString());",
]

open311 = [
    req("Discovery", "GET", O311 + "/discovery.json", 200,
        ["pm.test('GeoReport v2, JSON and XML', () => { pm.expect(j.endpoints[0].url).to.match(/\\/open311\\/v2$/); pm.expect(j.endpoints[0].formats).to.eql(['application/json', 'text/xml']); });"]),
    req("Services", "GET", O311 + "/services.json", 200,
        ["const s = j.find(x => x.service_code === 'H01.04');",
         "pm.test('a sub-heading is a service', () => { pm.expect(s.group).to.eql('Eğitim'); pm.expect(s.metadata).to.eql(true); pm.expect(s.type).to.eql('batch'); });",
         "pm.test('a heading is not', () => pm.expect(j.map(x => x.service_code)).to.not.include('H01'));"]),
    req("A service definition", "GET", O311 + "/services/H01.04.json", 200,
        ["const a = (c) => j.attributes.find(x => x.code === c);",
         "pm.test('identity attributes required', () => ['tckn', 'mother_maiden_first_letter', 'mother_maiden_last_letter'].forEach(c => pm.expect(a(c).required).to.eql(true)));",
         "pm.test('education levels listed', () => pm.expect(a('education_level').values.map(x => x.key)).to.include('bachelor'));",
         "pm.collectionVariables.set('o311Sector', a('sector').values[0].key);"]),
    req("A heading is not a service (404)", "GET", O311 + "/services/H01.json", 404, o311_error(404, "open311.service_not_found"), ctype="application/json"),
    # GeoReport v2 XML (not JSON: its checks read the text) and a wrong method's 405.
    json.loads('{"name": "Services in GeoReport v2 XML (200)", "request": {"method": "GET", "header": [], "url": "{{baseUrl}}/open311/v2/services.xml"}, "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["pm.test(\'status is 200\', () => pm.response.to.have.status(200));", "pm.test(\'content type is text/xml; charset=utf-8\', () => pm.expect(pm.response.headers.get(\'Content-Type\') || \'\').to.eql(\'text/xml; charset=utf-8\'));", "const x = pm.response.text();", "pm.test(\'an XML document with the services\', () => { pm.expect(x).to.match(/^<\\\\?xml version=\\"1.0\\" encoding=\\"utf-8\\"\\\\?>/); pm.expect(x).to.include(\'<services>\'); pm.expect(x).to.include(\'<service_code>H01.04</service_code>\'); pm.expect(x).to.include(\'<metadata>true</metadata>\'); });"]}}]}'),
    json.loads('{"name": "A wrong method (405 with Allow)", "request": {"method": "DELETE", "header": [], "url": "{{baseUrl}}/open311/v2/requests.json"}, "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["pm.test(\'status is 405\', () => pm.response.to.have.status(405));", "pm.test(\'Allow: GET, POST\', () => pm.expect(pm.response.headers.get(\'Allow\')).to.eql(\'GET, POST\'));", "const j = pm.response.json();", "pm.test(\'an Open311 error array\', () => { pm.expect(j).to.be.an(\'array\').that.is.not.empty; j.forEach(e => { pm.expect(e.code).to.eql(405); pm.expect(e.description).to.be.a(\'string\'); }); });"]}}]}'),
    req("No api_key (403)", "POST", O311 + "/requests.json", 403, o311_error(403, "open311.api_key_missing"),
        form=o311_form(api_key=None), ctype="application/json"),
    req("A bad api_key (403)", "POST", O311 + "/requests.json", 403, o311_error(403, "open311.api_key_invalid"),
        form=o311_form(api_key="kapi_not_a_key"), ctype="application/json"),
    req("An unknown service (404)", "POST", O311 + "/requests.json", 404, o311_error(404, "open311.service_not_found"),
        form=o311_form(service_code="H99.99"), ctype="application/json"),
    req("Identity does not match the registry (400)", "POST", O311 + "/requests.json", 400, o311_error(400, "petition.identity_mismatch"),
        form=o311_form(**{"attribute[mother_maiden_last_letter]": "E"}), ctype="application/json"),
    req("Bad fields, each named (400)", "POST", O311 + "/requests.json", 400,
        o311_error(400, "description:") + ["pm.test('the district too', () => pm.expect(j.map(e => e.description).join(' ')).to.include('attribute[district]:'));"],
        form=o311_form(description="kısa", **{"attribute[district]": "34023"}), ctype="application/json"),
    req("Submit a request (form, demo key)", "POST", O311 + "/requests.json", 201,
        ["pm.test('id, token, notice', () => { pm.expect(j[0].service_request_id).to.match(/^\\d+$/); pm.expect(j[0].token).to.be.a('string'); pm.expect(j[0].service_notice).to.include('Ankara Valiliği Açık Kapı Bürosu'); });",
         "pm.collectionVariables.set('o311Id', j[0].service_request_id);", "pm.collectionVariables.set('o311Token', j[0].token);"] + O311_PERSONAL,
        form=o311_form()),
    req("Resolve the token", "GET", O311 + "/tokens/{{o311Token}}.json", 200,
        ["pm.test('the request id', () => pm.expect(j[0].service_request_id).to.eql(" + v("o311Id") + "));"]),
    req("Read the request", "GET", O311 + "/requests/{{o311Id}}.json", 200,
        ["const r = j[0];",
         "pm.test('open, in the pool', () => { pm.expect(r.status).to.eql('open'); pm.expect(r.status_notes).to.eql('Başvuru Açık Kapı Birim Havuzunda'); });",
         "pm.test('service, agency, address', () => { pm.expect(r.service_code).to.eql('H01.04'); pm.expect(r.agency_responsible).to.eql('Ankara Valiliği Açık Kapı Bürosu'); pm.expect(r.address).to.eql('Çankaya, Ankara'); });",
         "pm.test('W3C times', () => pm.expect(r.requested_datetime).to.match(/^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+03:00$/));"] + O311_PERSONAL),
    req("An unknown request (404)", "GET", O311 + "/requests/999999999.json", 404, o311_error(404, "open311.request_not_found"), ctype="application/json"),
    req("An unknown token (404)", "GET", O311 + "/tokens/nope.json", 404, o311_error(404, "open311.token_not_found"), ctype="application/json"),
    o311_list("List: the last 90 days", "", listed(True) + O311_PERSONAL),
    o311_list("List: by id", "?service_request_id={{o311Id}},999999999", ["pm.test('just it', () => pm.expect(j.map(r => r.service_request_id)).to.eql([" + v("o311Id") + "]));"]),
    o311_list("List: by its service", "?service_code=H01.04", listed(True)),
    o311_list("List: another service", "?service_code=H05.01", listed(False)),
    o311_list("List: open", "?status=open", listed(True)),
    o311_list("List: closed", "?status=closed", listed(False)),
    o311_list("List: an unknown status (400)", "?status=pending", o311_error(400, "open311.unknown_status"), status=400),
    o311_list("List: exactly 90 days", "?start_date={{o311Start}}&end_date={{o311End}}", listed(True), prereq=O311_WINDOW),
    o311_list("List: 90 days and a second (400)", "?start_date={{o311TooEarly}}&end_date={{o311End}}", o311_error(400, "open311.window_too_long"), status=400),
    o311_list("List: reversed dates (400)", "?start_date={{o311End}}&end_date={{o311Start}}", o311_error(400, "open311.window_reversed"), status=400),
    *officer_login("AKS (again)", "aksTckn", "aksMobile", "aksToken", "desk_officer"),
    req("The desk finds it in its pool", "GET", "/api/v1/petitions?tracking_no={{o311Id}}", 200,
        paged(1) + ["pm.test('sent by an integrator', () => pm.expect(j.items[0].channel).to.eql('integrator'));",
                    "pm.collectionVariables.set('o311PetitionId', j.items[0].id);"], token="aksToken"),
    req("The desk closes it", "POST", "/api/v1/petitions/{{o311PetitionId}}/close", 200,
        ["pm.test('closed', () => pm.expect(j.status).to.eql('closed'));"],
        body={"outcome": "positive", "reply": "Okul duvarı onarım programına alınmıştır."}, token="aksToken"),
    req("The request is closed", "GET", O311 + "/requests/{{o311Id}}.json", 200,
        ["pm.test('closed, positive', () => { pm.expect(j[0].status).to.eql('closed'); pm.expect(j[0].status_notes).to.eql('Başvuru Olumlu Kapatıldı'); });",
         "pm.test('the reply is not published', () => pm.expect(pm.response.text()).to.not.include('onarım programına'));"] + O311_PERSONAL),
    o311_list("List: closed now", "?status=closed", listed(True)),
]

collection = {
    "info": {
        "name": "Kapı API",
        "description": "Every Kapı operation with tests. Run against a dev-profile server: `make postman`, or import with postman/kapi.postman_environment.json. Generated by postman/build_collection.py.",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "variable": [{"key": k, "value": ""} for k in [
        "adminToken", "citizenToken", "provinceAdminToken", "sectorId", "sectorEtag", "runId",
        "idemRun", "idemKey", "idemSectorId", "bigName",
        "otpPhone", "otpChallengeId", "otpCode", "otpWrongCode", "districtCode", "detsisNo",
        "empSeed", "empVkn", "otherVkn", "employerId", "otherEmployerId", "headOfficeId", "otherHeadOfficeId",
        "employerToken", "otherEmployerToken", "iskurToken", "branchId", "branchEtag", "istanbulId",
        "prevMonth", "thisMonth", "firstChartId", "chartId", "chartEtag", "layoffId", "layoffEtag", "thisYear", "surveyId", "surveyEtag", "clerkToken",
        "lastDate", "interviewAt", "demandId", "talepNo", "quickId", "seekerToken", "oldSeekerToken", "candidateId",
        "aksTckn", "unitATckn", "unitBTckn", "unknownOfficerTckn", "aksMobile", "unitAMobile", "unitBMobile", "petAdminToken",
        "aksToken", "aksTokenChallenge", "aksTokenCode", "unitAToken", "unitATokenChallenge", "unitATokenCode",
        "unitBToken", "unitBTokenChallenge", "unitBTokenCode", "petChallengeId", "petCode", "petCitizenToken", "petSectorId",
        "petitionId", "petTrackingNo", "petEtag", "miaToken", "istanbulMiaToken", "petViewerToken", "writtenId",
        "kkSeed", "kkKurumToken", "kkKurum2Token", "kkAyseToken", "kkMehmetToken", "kkZeynepToken", "kkIbrahimToken", "kkGulsenToken",
        "kkPostingId", "kkInstitutionId", "kkEtag", "kkCancelledId", "kkDiscardedApp", "kkFrozenApp", "kkNoStagesId",
        "instAdminToken", "instSeed", "instId", "instAccountId", "instHrToken",
        "kkAyseApp", "kkMehmetApp", "kkZeynepApp", "kkIbrahimFirstApp", "kkIbrahimApp", "kkGulsenApp", "kkAysePassword"]
        + ["intKey", "intId", "intCursor", "intMinistryToken", "intHookId"]
        + ["ldKurumToken", "ldPostingId", "ldPostingNo", "ldInstitutionId", "ldEmployerToken", "ldTalepNo",
           "o311Sector", "o311Id", "o311Token", "o311Start", "o311End", "o311TooEarly", "o311PetitionId"] + WP_VARIABLES],
    "item": [
        {"name": "health", "item": health},
        {"name": "auth", "item": auth},
        {"name": "reference", "item": reference},
        {"name": "sectors", "item": sectors},
        {"name": "employers and workplaces", "item": employers},
        {"name": "workforce charts and quota", "item": charts},
        {"name": "annual survey and personnel form", "item": surveys},
        {"name": "mass layoffs", "item": mass_layoffs},
        {"name": "labour demands and open jobs", "item": labour_demands},
        {"name": "bad input", "item": bad_input},
        {"name": "hardening: headers, Idempotency-Key, body limits", "item": hardening,
         "description": "Security headers on an answer; a create retried with its Idempotency-Key answers the same and creates nothing, another body with the key is refused; bodies over the route's limit are 413. Rate limits (429 with Retry-After) are covered by the black-box tests with the dev clock."},
        {"name": "dev (absent in prod)", "item": dev},
        {"name": "Açık Kapı petitions and desk users", "item": petitions},
        {"name": "Kariyer Kapısı postings and applications", "item": kariyer},
        {"name": "institutions and HR accounts", "item": institutions},
        {"name": "e-İzin employers, users and assignment", "item": wp_employers,
         "description": "e-İzin employer registration (contacts verified by code, a household, an SGK company workplace, a university), employer documents, authorised users and assignment. " + WP_FOLDER_NOTE},
        {"name": "e-İzin applications: wizard to approval", "item": wp_household,
         "description": "A household's first in-Türkiye application from the draft to the approval: every wizard step and its refusals, the ministry's evaluation, missing documents, fees paid at the simulated GİB. " + WP_FOLDER_NOTE},
        {"name": "e-İzin abroad and academic applications", "item": wp_abroad_academic,
         "description": "A company's application from abroad (MFA consulate reference) to the approval, and a university's academic application (YÖK pre-permit) to the submission. " + WP_FOLDER_NOTE},
        {"name": "e-İzin ministry: rejection, appeal, waiver", "item": wp_appeal,
         "description": "The academic application rejected, appealed with an e-signed PDF, reviewed and approved at the second decision; another application rejected and its appeal waived. " + WP_FOLDER_NOTE},
        {"name": "e-İzin extension", "item": wp_extension,
         "description": "The household permit's extension: the dev clock moves to the first day of the 60 days before the permit ends; the extension is filed for two years and submitted. The real clock is given back at the end. " + WP_FOLDER_NOTE},
        {"name": "e-İzin after the permit", "item": wp_after,
         "description": "On the abroad permit: the card printed and tracked at PTT before and after its delivery (dev clock), the start of work, a document asked and uploaded, a lost card paid and reprinted, the termination. The real clock is given back at the end. " + WP_FOLDER_NOTE},
        {"name": "Integrators: accounts, feeds and webhooks", "item": integrators,
         "description": "An administrator issues an integrator account (the key is shown once); the change feeds paged by cursor, who may read which; a webhook registered (the secret shown once), listed, its delivery log, removed; the account revoked. Deliveries themselves are tested against a local receiver in tests/api/integrators.rs."},
        {"name": "Integrators — JSON-LD", "item": json_ld,
         "description": "schema.org JobPosting (application/ld+json) of a posting and a labour demand of this run: the required and recommended properties, then 404 after the last application day (dev clock; real time again at the end). See docs/integrators.md."},
        {"name": "Integrators — Open311", "item": open311,
         "description": "Open311 GeoReport v2 under /open311/v2 as a client drives it: discovery, services, a definition, a form POST with the demo key (kapi-demo-integrator-key), the token, the request, the list with its filters and the 90-day rule; the desk closes the petition and the request turns closed. Errors are Open311 arrays. No answer carries a personal field. See docs/integrators.md."},
    ],
}

OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({sum(len(f['item']) for f in collection['item'])} requests)")
