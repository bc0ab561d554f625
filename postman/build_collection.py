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
        "petitionId", "petTrackingNo", "petEtag", "miaToken", "istanbulMiaToken", "petViewerToken", "writtenId"]],
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
    ],
}

OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({sum(len(f['item']) for f in collection['item'])} requests)")
