#!/usr/bin/env python3
"""Writes postman/kapi.postman_collection.json (Postman v2.1).

The collection is generated so that every request carries the same kind of checks without
copy-paste: status, content type, and the fields that matter. Run `python3 postman/build_collection.py`
after changing it; CI runs the JSON with newman (`make postman`). QA teams import the JSON.
"""
import json
import pathlib
import urllib.parse

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

collection = {
    "info": {
        "name": "Kapı API",
        "description": "Every Kapı operation with tests. Run against a dev-profile server: `make postman`, or import with postman/kapi.postman_environment.json. Generated by postman/build_collection.py.",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "variable": [{"key": k, "value": ""} for k in [
        "adminToken", "citizenToken", "provinceAdminToken", "sectorId", "sectorEtag", "runId",
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
        "kkAyseApp", "kkMehmetApp", "kkZeynepApp", "kkIbrahimFirstApp", "kkIbrahimApp", "kkGulsenApp", "kkAysePassword"]],
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
        {"name": "dev (absent in prod)", "item": dev},
        {"name": "Açık Kapı petitions and desk users", "item": petitions},
        {"name": "Kariyer Kapısı postings and applications", "item": kariyer},
        {"name": "institutions and HR accounts", "item": institutions},
    ],
}

OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({sum(len(f['item']) for f in collection['item'])} requests)")
