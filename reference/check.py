#!/usr/bin/env python3
"""Validates the reference CSV files in this folder (stdlib only).

Usage: python3 reference/check.py [FOLDER]   (default: the folder this script is in)
Exits 0 when every check passes, 1 otherwise, printing one line per problem.
"""
import csv
import os
import re
import sys

DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
problems = []


def problem(msg):
    problems.append(msg)


def fold(s):
    """Turkish search fold: İ, I, ı -> i; ş -> s; ğ -> g; ç -> c; ö -> o; ü -> u; then lower case."""
    table = {"İ": "i", "I": "i", "ı": "i", "Ş": "s", "ş": "s", "Ğ": "g", "ğ": "g",
             "Ç": "c", "ç": "c", "Ö": "o", "ö": "o", "Ü": "u", "ü": "u"}
    return " ".join("".join(table.get(c, c) for c in s).lower().split())


def load(name, header):
    """Reads one file; checks encoding, header, field count and stray whitespace."""
    path = os.path.join(DIR, name)
    if not os.path.exists(path):
        problem(f"{name}: missing")
        return []
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem(f"{name}: not UTF-8 ({e})")
        return []
    if text.startswith("\ufeff"):
        problem(f"{name}: starts with a byte-order mark")
        text = text[1:]
    if not text.endswith("\n"):
        problem(f"{name}: does not end with a newline")
    rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
    if not rows or rows[0] != header:
        problem(f"{name}: header is {rows[0] if rows else None}, expected {header}")
        return []
    out = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problem(f"{name}:{i}: {len(row)} fields, expected {len(header)}")
            continue
        for col, value in zip(header, row):
            if value != value.strip() or "  " in value:
                problem(f"{name}:{i}: {col} has stray whitespace: {value!r}")
            if "\n" in value or "\r" in value:
                problem(f"{name}:{i}: {col} contains a line break")
        out.append((i, dict(zip(header, row))))
    if not out:
        problem(f"{name}: no rows")
    return out


def unique(name, rows, col):
    seen = {}
    for i, r in rows:
        if r[col] in seen:
            problem(f"{name}:{i}: {col} {r[col]!r} repeats line {seen[r[col]]}")
        else:
            seen[r[col]] = i
    return seen


def nonempty(name, rows, *cols):
    for i, r in rows:
        for c in cols:
            if not r[c]:
                problem(f"{name}:{i}: {c} is empty")


def integer(name, i, col, value, lo=None, hi=None):
    if not re.fullmatch(r"[1-9][0-9]*", value):
        problem(f"{name}:{i}: {col} {value!r} is not a positive integer")
        return None
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        problem(f"{name}:{i}: {col} {v} is out of range {lo}..{hi}")
    return v


def positions(name, rows):
    got = [integer(name, i, "position", r["position"]) for i, r in rows]
    if got != list(range(1, len(rows) + 1)):
        problem(f"{name}: positions are not 1..{len(rows)} in file order")


# provinces: 81, plate codes 1..81
provinces = load("provinces.csv", ["code", "name"])
nonempty("provinces.csv", provinces, "name")
unique("provinces.csv", provinces, "name")
codes = [integer("provinces.csv", i, "code", r["code"], 1, 81) for i, r in provinces]
if sorted(c for c in codes if c) != list(range(1, 82)):
    problem(f"provinces.csv: codes are not exactly 1..81 ({len(provinces)} rows)")
province_codes = {r["code"] for _, r in provinces}
by_name = {r["name"]: r["code"] for _, r in provinces}
for plate, name in [("1", "Adana"), ("6", "Ankara"), ("34", "İstanbul"), ("35", "İzmir"), ("46", "Kahramanmaraş"), ("63", "Şanlıurfa"), ("81", "Düzce")]:
    if by_name.get(name) != plate:
        problem(f"provinces.csv: {name} should have code {plate}")

# districts -> provinces
districts = load("districts.csv", ["code", "province_code", "name"])
nonempty("districts.csv", districts, "name")
unique("districts.csv", districts, "code")
seen = set()
for i, r in districts:
    integer("districts.csv", i, "code", r["code"], 1, 2**31 - 1)
    if r["province_code"] not in province_codes:
        problem(f"districts.csv:{i}: province_code {r['province_code']!r} is not a province")
    key = (r["province_code"], fold(r["name"]))
    if key in seen:
        problem(f"districts.csv:{i}: {r['name']!r} twice in province {r['province_code']}")
    seen.add(key)
if not 950 <= len(districts) <= 1000:
    problem(f"districts.csv: {len(districts)} rows, expected about 973")
district_codes = {r["code"] for _, r in districts}
dnames = {(r["province_code"], r["name"]) for _, r in districts}
for prov, name in [("6", "Çankaya"), ("6", "Keçiören"), ("34", "Kadıköy"), ("63", "Haliliye"), ("63", "Eyyübiye")]:
    if (prov, name) not in dnames:
        problem(f"districts.csv: {name} missing in province {prov}")

# neighbourhoods -> districts
nbs = load("neighbourhoods.csv", ["code", "district_code", "name", "kind"])
nonempty("neighbourhoods.csv", nbs, "name")
unique("neighbourhoods.csv", nbs, "code")
seen = set()
covered = set()
for i, r in nbs:
    integer("neighbourhoods.csv", i, "code", r["code"], 1, 2**31 - 1)
    if r["district_code"] not in district_codes:
        problem(f"neighbourhoods.csv:{i}: district_code {r['district_code']!r} is not a district")
    covered.add(r["district_code"])
    if r["kind"] not in ("neighbourhood", "village"):
        problem(f"neighbourhoods.csv:{i}: kind {r['kind']!r} is not neighbourhood or village")
    key = (r["district_code"], fold(r["name"]), r["kind"])
    if key in seen:
        problem(f"neighbourhoods.csv:{i}: {r['name']!r} ({r['kind']}) twice in district {r['district_code']}")
    seen.add(key)
if district_codes - covered:
    problem(f"neighbourhoods.csv: {len(district_codes - covered)} districts have no neighbourhood")

# occupations
occ = load("occupations.csv", ["code", "name"])
nonempty("occupations.csv", occ, "name")
unique("occupations.csv", occ, "code")
for i, r in occ:
    if not re.fullmatch(r"\d{4}\.\d{2}", r["code"]):
        problem(f"occupations.csv:{i}: code {r['code']!r} is not NNNN.NN")
    if len(r["name"]) > 200:
        problem(f"occupations.csv:{i}: name longer than 200 characters")
if len(occ) < 200:
    problem(f"occupations.csv: {len(occ)} rows, expected at least 200")
majors = {r["code"][0] for _, r in occ}
if majors != set("0123456789"):
    problem(f"occupations.csv: ISCO major groups covered: {sorted(majors)}")
occ_by_code = {r["code"]: r["name"] for _, r in occ}
for code, name in [("2512.04", "Yazılım Geliştirici"), ("5120.05", "Aşçı"), ("2221.01", "Hemşire"), ("7411.15", "Elektrikçi"),
                   ("8322.01", "Şoför (Otomobil)"), ("4110.02", "Büro Memuru"), ("9112.01", "Temizlik Görevlisi")]:
    if occ_by_code.get(code) != name:
        problem(f"occupations.csv: {code} should be {name!r}, is {occ_by_code.get(code)!r}")

# education levels
edu = load("education_levels.csv", ["code", "name_tr", "name_en", "position"])
nonempty("education_levels.csv", edu, "name_tr", "name_en")
unique("education_levels.csv", edu, "code")
for i, r in edu:
    if not re.fullmatch(r"[a-z]+(_[a-z]+)*", r["code"]):
        problem(f"education_levels.csv:{i}: code {r['code']!r} is not snake_case")
positions("education_levels.csv", edu)
expected = ["none", "literate", "primary", "lower_secondary", "high_school", "vocational_high_school",
            "associate", "bachelor", "master", "doctorate"]
if [r["code"] for _, r in edu] != expected:
    problem(f"education_levels.csv: codes are {[r['code'] for _, r in edu]}, expected {expected}")

# countries
countries = load("countries.csv", ["code", "name_tr", "name_en", "nationality_tr"])
nonempty("countries.csv", countries, "name_tr", "name_en", "nationality_tr")
unique("countries.csv", countries, "code")
for i, r in countries:
    if not re.fullmatch(r"[A-Z]{2}", r["code"]):
        problem(f"countries.csv:{i}: code {r['code']!r} is not two capital letters")
cmap = {r["code"]: r for _, r in countries}
if len(countries) < 245:
    problem(f"countries.csv: {len(countries)} rows, expected about 250")
for code, name in [("TR", "Türkiye"), ("DE", "Almanya"), ("CY", "Kıbrıs"), ("CT", "Kuzey Kıbrıs Türk Cumhuriyeti")]:
    if cmap.get(code, {}).get("name_tr") != name:
        problem(f"countries.csv: {code} should be {name!r}")

# sectors
sectors = load("sectors.csv", ["name", "position"])
nonempty("sectors.csv", sectors, "name")
positions("sectors.csv", sectors)
seen = {}
for i, r in sectors:
    f = fold(r["name"])
    if f in seen:
        problem(f"sectors.csv:{i}: {r['name']!r} folds to the same name as line {seen[f]}")
    seen[f] = i
seed = ["Çalışmıyor", "Avukatlık - Hukuki Danışmanlık", "Bankacılık", "Basım Yayın - Matbaacılık", "Bilişim", "Çevre",
        "Denizcilik", "Eğitim", "Eğlence", "Elektrik ve Elektronik", "Emlak - Gayrimenkul"]
if [r["name"] for _, r in sectors][:11] != seed:
    problem("sectors.csv: the first 11 sectors differ from seed 004 §6.3.2")

# service headings
heads = load("service_headings.csv", ["code", "parent_code", "name"])
nonempty("service_headings.csv", heads, "name")
hcodes = unique("service_headings.csv", heads, "code")
parents = {r["code"] for _, r in heads if not r["parent_code"]}
children = {}
for i, r in heads:
    if r["parent_code"]:
        if r["parent_code"] not in parents:
            problem(f"service_headings.csv:{i}: parent_code {r['parent_code']!r} is not a heading")
        elif not r["code"].startswith(r["parent_code"] + "."):
            problem(f"service_headings.csv:{i}: code {r['code']!r} does not start with {r['parent_code']}.")
        if hcodes.get(r["parent_code"], 0) > i:
            problem(f"service_headings.csv:{i}: sub-heading comes before its heading")
        children.setdefault(r["parent_code"], []).append(r["code"])
    elif not re.fullmatch(r"H\d{2}|DIGER", r["code"]):
        problem(f"service_headings.csv:{i}: heading code {r['code']!r} is not Hnn or DIGER")
for p in sorted(parents):
    if not children.get(p):
        problem(f"service_headings.csv: heading {p} has no sub-heading")
if "DIGER" not in parents or "DIGER.01" not in children.get("DIGER", []):
    problem("service_headings.csv: DIGER / DIGER.01 (Diğer) missing")
sub_names = {}
for i, r in heads:
    key = (r["parent_code"], fold(r["name"]))
    if key in sub_names:
        problem(f"service_headings.csv:{i}: {r['name']!r} twice under {r['parent_code'] or 'the root'}")
    sub_names[key] = i

# DETSİS units
units = load("detsis_units.csv", ["detsis_no", "parent_detsis_no", "name", "province_code"])
nonempty("detsis_units.csv", units, "name")
unique("detsis_units.csv", units, "detsis_no")
parent_of = {}
for i, r in units:
    for col in ("detsis_no", "parent_detsis_no"):
        v = r[col]
        if (v or col == "detsis_no") and not re.fullmatch(r"[1-9]\d{7}", v):
            problem(f"detsis_units.csv:{i}: {col} {v!r} is not 8 digits without a leading 0")
    if r["province_code"] and r["province_code"] not in province_codes:
        problem(f"detsis_units.csv:{i}: province_code {r['province_code']!r} is not a province")
    parent_of[r["detsis_no"]] = r["parent_detsis_no"] or None
for i, r in units:
    p = r["parent_detsis_no"]
    if p and p not in parent_of:
        problem(f"detsis_units.csv:{i}: parent {p} does not exist")
    cur, steps = r["detsis_no"], 0
    while parent_of.get(cur):
        cur = parent_of[cur]
        steps += 1
        if steps > len(parent_of):
            problem(f"detsis_units.csv:{i}: the tree loops at {r['detsis_no']}")
            break
byno = {r["detsis_no"]: r for _, r in units}
if byno.get("55481037", {}).get("name") != "Ankara İl Milli Eğitim Müdürlüğü":
    problem("detsis_units.csv: 55481037 should be Ankara İl Milli Eğitim Müdürlüğü")
for prov in ("6", "34", "35", "63"):
    if not any(r["province_code"] == prov for _, r in units):
        problem(f"detsis_units.csv: no unit in province {prov}")
if not 150 <= len(units) <= 300:
    problem(f"detsis_units.csv: {len(units)} rows, expected 150–300")

counts = {"provinces": len(provinces), "districts": len(districts), "neighbourhoods": len(nbs),
          "occupations": len(occ), "education_levels": len(edu), "countries": len(countries),
          "sectors": len(sectors), "service_headings": len(heads), "detsis_units": len(units)}
print(", ".join(f"{k} {v}" for k, v in counts.items()))
for p in problems:
    print("PROBLEM:", p)
if problems:
    print(f"{len(problems)} problem(s)")
    sys.exit(1)
print("reference data OK")
