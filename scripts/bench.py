#!/usr/bin/env python3
"""The HTTP benchmark behind `make bench` (standard library only; the load comes from wrk).

For each scale (10k, 100k, 1M by default) it loads a fresh database with `bench-load`,
starts `kapi serve` (release, scheduled jobs off, logs at warn), logs in the demo accounts
it needs, and drives every endpoint with wrk for a fixed time with a fixed number of
connections. `/health/live` is measured in the same run as the ceiling; each endpoint's
req/s is reported as a ratio to it. At 100k rows every endpoint runs (reads and writes);
at 10k and 1M the list and search endpoints run, for the latency growth. It also measures
the cold start (exec to `/health/live` answering, migrations and seed data on an empty
SQLite file) and the idle RSS, then prints the tables and writes `docs/benchmarks.md`.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
PROFILE = os.environ.get("BENCH_PROFILE", "release")
KAPI = os.environ.get("BENCH_KAPI") or os.path.join(TARGET, PROFILE, "kapi")
LOADER = os.environ.get("BENCH_LOADER") or os.path.join(TARGET, PROFILE, "bench-load")
PASSWORD = "Kapi2026"
CITIZENS = ["12345678950", "10000000146", "23456789060", "34567890170", "45678901280"]


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# HTTP helpers


def http(method, url, body=None, token=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def expect(status, got, what):
    if got[0] != status:
        raise SystemExit(f"{what}: expected {status}, got {got[0]}: {got[1]}")
    return got[1]


def staff_token(base, username):
    return expect(200, http("POST", f"{base}/api/v1/auth/staff/login",
                            {"username": username, "password": PASSWORD}), f"login {username}")["access_token"]


def citizen_token(base, tckn):
    return expect(200, http("POST", f"{base}/api/v1/auth/e-devlet/login",
                            {"tckn": tckn, "password": PASSWORD}), f"login {tckn}")["access_token"]


def otp_code(base, recipient):
    box = expect(200, http("GET", f"{base}/api/v1/dev/outbox?recipient={recipient}"), "outbox")
    return re.search(r"\b(\d{6})\b", box[0]["body"]).group(1)


def tckn(first_nine):
    """A T.C. identity number with its two check digits."""
    d = [int(c) for c in first_nine]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return f"{first_nine}{d10}{d11}"


def desk_officer_token(base):
    """A desk officer (AKS) of Ankara, created by the governorate's admin, logged in by SMS code."""
    admin = staff_token(base, "ankara.valilik")
    tckn_, mobile = tckn("399999999"), "5339999999"
    r = http("POST", f"{base}/api/v1/admin/petition-users", {
        "kind": "desk_officer", "tckn": tckn_, "first_name": "Bench", "last_name": "Masa",
        "mobile": mobile, "province": 6, "districts": [], "units": []}, admin)
    if r[0] not in (201, 409, 422):
        raise SystemExit(f"create desk officer: {r}")
    o = expect(201, http("POST", f"{base}/api/v1/auth/petition-officer/otp", {"tckn": tckn_, "mobile": mobile}), "officer otp")
    code = otp_code(base, mobile)
    return expect(200, http("POST", f"{base}/api/v1/auth/petition-officer/login",
                            {"challenge_id": o["challenge_id"], "tckn": tckn_, "code": code}), "officer login")["access_token"]


def first_sector(base):
    return expect(200, http("GET", f"{base}/api/v1/reference/sectors"), "sectors")["items"][0]["id"]


# --------------------------------------------------------------------------------------
# Databases and the server


class Database:
    def __init__(self, kind, workdir, name, pg_admin):
        self.kind, self.workdir, self.name, self.pg_admin = kind, workdir, name, pg_admin
        if kind == "sqlite":
            self.url = os.path.join(workdir, f"{name}.db")
        else:
            self.url = pg_admin.rsplit("/", 1)[0] + "/" + name

    def create(self):
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.url + suffix):
                    os.remove(self.url + suffix)
        else:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.psql(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.url + suffix):
                    os.remove(self.url + suffix)
        else:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def psql(self, sql):
        subprocess.run(["psql", self.pg_admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True,
                       stdout=subprocess.DEVNULL)

    def size(self):
        if self.kind == "sqlite":
            return sum(os.path.getsize(self.url + s) for s in ("", "-wal") if os.path.exists(self.url + s))
        out = subprocess.run(["psql", self.pg_admin, "-tAc", f"SELECT pg_database_size('{self.name}')"],
                             check=True, capture_output=True, text=True).stdout
        return int(out.strip() or 0)


class Server:
    def __init__(self, url, port, datadir, log_path):
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KAPI_PROFILE="dev", KAPI_BIND=f"127.0.0.1:{port}", KAPI_DATABASE_URL=url,
                   KAPI_DATA_DIR=datadir, KAPI_JOBS_INTERVAL_SECONDS="0", RUST_LOG="warn",
                   # The public-search limiter stays on, with a limit the load never reaches.
                   KAPI_RATE_LIMIT_SEARCH="1000000000/60")
        self.log = open(log_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([KAPI, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.ready_after = None

    def wait_live(self, timeout=120.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited ({self.proc.returncode}); see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.base}/health/live", timeout=1) as r:
                    if r.status == 200:
                        self.ready_after = time.monotonic() - self.started
                        return self.ready_after
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.002)
        raise SystemExit("the server did not answer /health/live")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# --------------------------------------------------------------------------------------
# wrk


LUA_COMMON = r"""
local counter = 0
local threads = {}
local thread_no = 0
function setup(thread)
  thread:set("no", thread_no)
  thread_no = thread_no + 1
  table.insert(threads, thread)
end
local function read_lines(path)
  local t = {}
  for line in io.lines(path) do t[#t + 1] = line end
  return t
end
"""


def lua_get(paths_file, token):
    """GET a path from a file of paths, each thread walking its own stride."""
    headers = f'{{["Authorization"] = "Bearer {token}"}}' if token else "nil"
    return LUA_COMMON + f"""
local paths
function init(args)
  paths = read_lines("{paths_file}")
  counter = no
end
function request()
  local p = paths[(counter % #paths) + 1]
  counter = counter + 7
  return wrk.format("GET", p, {headers})
end
"""


def lua_petition_submit(token, sector):
    form = {
        "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001,
                            "open_address": "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 02", "email": "vatandas@ornek.com.tr",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor", "sector_id": sector,
        "subject": "SUBJECT",
    }
    body = json.dumps(form, ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
    return LUA_COMMON + f"""
function init(args) counter = 0 end
function request()
  counter = counter + 1
  local subject = "Bench dilekçesi " .. no .. "-" .. counter .. ": okulun bahçe duvarı yıkılmak üzere, onarılmasını talep ediyorum."
  local body = string.gsub("{body}", "SUBJECT", subject)
  return wrk.format("POST", "/api/v1/petitions", {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}, body)
end
"""


def lua_application_start(postings_file, tokens):
    """POST /postings/{{id}}/applications: thread t applies as citizen t to every posting
    t, t+n, t+2n… of the list, so no (citizen, posting) pair repeats."""
    toks = ", ".join(f'"{t}"' for t in tokens)
    return LUA_COMMON + f"""
local ids
local tokens = {{{toks}}}
local step = 1
function init(args)
  ids = read_lines("{postings_file}")
  counter = no
end
function request()
  local id = ids[(counter % #ids) + 1]
  local token = tokens[(no % #tokens) + 1]
  counter = counter + 2
  return wrk.format("POST", "/api/v1/postings/" .. id .. "/applications", {{["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}}, "")
end
"""


LUA_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH-RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def drain(base, limit_s=90):
    """Waits until the server has worked off what the last run left queued (a request wrk
    gave up on still runs): /health/ready, which takes a pooled connection, answers fast twice."""
    deadline = time.monotonic() + limit_s
    fast = 0
    while time.monotonic() < deadline and fast < 2:
        t = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=limit_s) as r:
                r.read()
        except (urllib.error.URLError, OSError):
            pass
        fast = fast + 1 if time.monotonic() - t < 0.05 else 0
        time.sleep(0.2)


def run_wrk(base, path, script, args, work):
    script_path = os.path.join(work, "wrk.lua")
    with open(script_path, "w") as f:
        f.write(script + LUA_DONE)
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "5s",
           "-s", script_path, base + path]
    if args.warmup > 0:
        subprocess.run(["wrk", "-t1", "-c4", f"-d{args.warmup}s", "-s", script_path, base + path],
                       capture_output=True, text=True)
    drain(base)
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    drain(base)
    m = re.search(r"BENCH-RESULT (.*)", out)
    if not m:
        raise SystemExit(f"wrk printed no result for {path}:\n{out}")
    kv = dict(x.split("=") for x in m.group(1).split())
    n, dur = int(kv["requests"]), int(kv["duration_us"]) / 1e6
    return {
        "rps": n / dur if dur else 0.0,
        "p50": int(kv["p50_us"]) / 1000.0,
        "p99": int(kv["p99_us"]) / 1000.0,
        "requests": n,
        "errors": int(kv["non2xx"]) + int(kv["connect"]) + int(kv["read"]) + int(kv["write"]) + int(kv["timeout"]),
    }


# --------------------------------------------------------------------------------------
# The endpoints


def endpoints(base, fixture, work, tokens, writes):
    """(name, kind, path, lua script, target) for each endpoint; kind is read or write."""
    today = datetime.date.today()
    year_ago = (today - datetime.timedelta(days=365)).isoformat()
    desk, citizen, evaluator = tokens["desk"], tokens["citizen"], tokens["evaluator"]

    def paths_file(name, paths):
        p = os.path.join(work, f"{name}.paths")
        with open(p, "w") as f:
            f.write("\n".join(paths) + "\n")
        return p

    def get(name, paths, token=""):
        return lua_get(paths_file(name, paths), token)

    e = [
        ("/health/live (ceiling)", "ceiling", "/health/live", get("live", ["/health/live"])),
        ("public posting search (active)", "read", "/api/v1/postings",
         get("postings", ["/api/v1/postings"])),
        ("public posting search (province + position)", "read", "/api/v1/postings?province=6&position=muhendis",
         get("postings_filtered", ["/api/v1/postings?province=6&position=muhendis"])),
        ("open-job search: province + district", "read", "/api/v1/open-jobs?mode=province_district&province=6&district_code=6007",
         get("oj1", ["/api/v1/open-jobs?mode=province_district&province=6&district_code=6007"])),
        ("open-job search: province + occupation", "read", "/api/v1/open-jobs?mode=province_occupation&province=34&occupation_code=2512.04",
         get("oj2", ["/api/v1/open-jobs?mode=province_occupation&province=34&occupation_code=2512.04"])),
        ("open-job search: quick (province, work type)", "read", "/api/v1/open-jobs?mode=quick&province=6&work_type=full_time",
         get("oj3", ["/api/v1/open-jobs?mode=quick&province=6&work_type=full_time"])),
        ("open-job search: keyword", "read", "/api/v1/open-jobs?mode=keyword&q=vardiyali%20sofor",
         get("oj4", ["/api/v1/open-jobs?mode=keyword&q=vardiyali%20sofor"])),
        ("petition detail (AKS)", "read", "/api/v1/petitions/{id}",
         get("petition_detail", [f"/api/v1/petitions/{i}" for i in fixture["petitions_in_ankara"][:5000]], desk)),
        ("AKS search: status + date range", "read", f"/api/v1/petitions?status=routed&from={year_ago}",
         get("aks1", [f"/api/v1/petitions?status=routed&from={year_ago}"], desk)),
        ("AKS search: last name + heading", "read", "/api/v1/petitions?last_name=kaya&heading_code=H01",
         get("aks2", ["/api/v1/petitions?last_name=kaya&heading_code=H01"], desk)),
        ("work-permit list (ministry queue)", "read", "/api/v1/ministry/work-permits?status=submitted",
         get("wp", ["/api/v1/ministry/work-permits?status=submitted"], evaluator)),
    ]
    if writes:
        e.append(("petition submit", "write", "POST /api/v1/petitions",
                  lua_petition_submit(citizen, tokens["sector"])))
        e.append(("application submit (start)", "write", "POST /api/v1/postings/{id}/applications",
                  lua_application_start(paths_file("open_postings", fixture["open_postings"]), tokens["citizens"])))
    return e


# --------------------------------------------------------------------------------------
# One scale


def run_scale(args, scale, writes, work, pg_admin):
    db = Database(args.db, work, f"kapi_bench_{scale}", pg_admin)
    db.create()
    fixture_path = os.path.join(work, f"fixture-{scale}.json")
    log(f"loading {scale} rows into {args.db} …")
    t = time.monotonic()
    subprocess.run([LOADER, db.url, str(scale), fixture_path], check=True)
    load_s = time.monotonic() - t
    with open(fixture_path) as f:
        fixture = json.load(f)
    size = db.size()
    datadir = os.path.join(work, f"data-{scale}")
    server = Server(db.url, args.port, datadir, os.path.join(work, f"server-{scale}.log"))
    try:
        start_s = server.wait_live()
        time.sleep(2)
        idle_rss = server.rss_kb()
        base = server.base
        tokens = {
            "desk": desk_officer_token(base),
            "citizen": citizen_token(base, CITIZENS[0]),
            "citizens": [citizen_token(base, c) for c in CITIZENS],
            "evaluator": staff_token(base, "bakanlik.degerlendirici"),
            "sector": first_sector(base),
        }
        results = []
        for name, kind, path, script in endpoints(base, fixture, work, tokens, writes):
            r = run_wrk(base, path if path.startswith("/") and "{" not in path else "/", script, args, work)
            r.update(name=name, kind=kind, path=path)
            results.append(r)
            log(f"{scale:>8} {name:<48} {r['rps']:>8.0f} req/s  p50 {r['p50']:>7.2f} ms  p99 {r['p99']:>7.2f} ms"
                + (f"  ({r['errors']} errors)" if r["errors"] else ""))
        time.sleep(2)
        after_rss = server.rss_kb()
    finally:
        server.stop()
        db.drop()
        shutil.rmtree(datadir, ignore_errors=True)
    return {"scale": scale, "load_s": load_s, "db_bytes": size, "start_s": start_s, "idle_rss_kb": idle_rss,
            "after_rss_kb": after_rss, "results": results, "db_version": fixture.get("db_version", "")}


def cold_start(args, work):
    """exec → /health/live answering, on an empty SQLite file (migrations, reference and demo data)."""
    times = []
    for i in range(args.cold_runs):
        path = os.path.join(work, f"cold-{i}.db")
        server = Server(path, args.port, os.path.join(work, f"cold-data-{i}"), os.path.join(work, f"cold-{i}.log"))
        try:
            times.append(server.wait_live())
            time.sleep(1.5)
            rss = server.rss_kb()
        finally:
            server.stop()
        for s in ("", "-wal", "-shm"):
            if os.path.exists(path + s):
                os.remove(path + s)
    return {"median_s": statistics.median(times), "all_s": times, "idle_rss_kb": rss}


# --------------------------------------------------------------------------------------
# Report


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem_kb / 1024 / 1024, "kernel": platform.release(),
            "load": load, "wrk": (wrk_version or ["wrk"])[0].split(" [")[0]}


def fmt_table(run, ceiling):
    lines = ["| endpoint | req/s | p50 ms | p99 ms | ratio to ceiling | errors | targets (≥ 50 %, p99 < 20 ms) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in run["results"]:
        ratio = r["rps"] / ceiling if ceiling else 0
        if r["kind"] == "read":
            ok = ratio >= 0.5 and r["p99"] < 20
            mark = "met" if ok else "**missed**" + (" (ratio)" if ratio < 0.5 else "") + (" (p99)" if r["p99"] >= 20 else "")
        elif r["kind"] == "ceiling":
            mark = "ceiling"
        else:
            mark = "write (no target)"
        lines.append(f"| {r['name']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {ratio * 100:.0f} % | {r['errors']} | {mark} |")
    return "\n".join(lines)


def growth_table(runs):
    scales = [r["scale"] for r in runs]
    by = {r["scale"]: {x["name"]: x for x in r["results"]} for r in runs}
    names = [x["name"] for x in runs[0]["results"] if x["kind"] != "write"]
    head = "| endpoint | " + " | ".join(f"p50 ms @ {s // 1000}k" for s in scales) + " | " + \
           " | ".join(f"req/s @ {s // 1000}k" for s in scales) + " | p50 ratio largest/smallest | target ≤ 1.5 × |"
    lines = [head, "|" + " --- |" * 1 + " ---: |" * (2 * len(scales) + 1) + " --- |"]
    for n in names:
        row = [by[s].get(n) for s in scales]
        if any(x is None for x in row):
            continue
        # A scale where wrk saw errors or no latency (every request timed out) is a miss.
        ok = all(x["requests"] > 0 and x["p50"] > 0 and x["errors"] == 0 for x in row)
        ratio = row[-1]["p50"] / row[0]["p50"] if ok else float("inf")
        mark = "met" if ok and ratio <= 1.5 else "**missed**"
        if len(scales) < 2:
            mark = "not measured (one scale)"
        if n.startswith("/health"):
            mark = "ceiling"
        lines.append(f"| {n} | " + " | ".join(f"{x['p50']:.2f}" + (f" ({x['errors']} errors)" if x["errors"] else "") for x in row) + " | " +
                     " | ".join(f"{x['rps']:.0f}" for x in row) + f" | {ratio:.2f} | {mark} |")
    return "\n".join(lines)


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')


def write_doc(args, m, runs, cold, out, generated=None):
    main = next((r for r in runs if r["scale"] == args.main_scale), runs[0])
    ceiling = main["results"][0]["rps"]
    notes_path = os.path.join(ROOT, "docs", "benchmarks-notes.md" if args.db == "sqlite" else f"benchmarks-notes-{args.db}.md")
    notes = open(notes_path).read().strip() if os.path.exists(notes_path) else ""
    db_name = "SQLite" if args.db == "sqlite" else "PostgreSQL"
    parts = [
        f"# Benchmarks ({db_name})",
        "",
        f"Generated by `{' '.join(['make bench'] + ([f'BENCH_DB={args.db}'] if args.db != 'sqlite' else []))}` "
        f"(`scripts/bench.sh` → `scripts/bench.py`) on {generated or now_utc()}. "
        "One run: every number below comes from it.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores (shared with other work: load average {m['load']} when the run started, "
        f"{m.get('load_end', '?')} when it ended)",
        f"- RAM: {m['mem_gib']:.1f} GiB; kernel {m['kernel']}",
        f"- Database: {main['db_version']}",
        f"- Load generator: {m['wrk']}, `-t{args.threads} -c{args.connections} -d{args.duration}s` per endpoint "
        f"(after a {args.warmup} s warm-up at 4 connections), on the same machine over loopback",
        f"- Server: `target/release/kapi serve`, dev profile, {m['cores']} workers (one per core), pool of up to 8 "
        "connections (opened as needed), scheduled jobs off, `RUST_LOG=warn`, the public-search limit set out of reach",
        "",
        "## Dataset",
        "",
        "`bench-load <url> <scale>` (tests/src/bin/bench_load.rs) loads, per scale *N*: *N* postings with two "
        "sub-postings, *N* labour demands, 2*N* job seekers (at most 200 000: no endpoint here searches them), *N* petitions with headings, routings and histories, "
        "*N*/2 submitted work-permit applications with histories — clones of templates made through the use cases, "
        "written through the stores' insert code.",
        "",
        "| scale | load time | database size | server start (migrations already done) |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        parts.append(f"| {r['scale']:,} | {r['load_s']:.0f} s | {r['db_bytes'] / 1e6:.0f} MB | {r['start_s'] * 1000:.0f} ms |")
    parts += [
        "",
        f"## Endpoints at {main['scale']:,} rows",
        "",
        "Ratio = the endpoint's req/s ÷ `/health/live`'s req/s in the same run (the framework ceiling: routing, "
        "middleware, JSON, no database). Reads target ≥ 50 % of the ceiling with p99 < 20 ms. Writes have no target.",
        "",
        fmt_table(main, ceiling),
        "",
        "## Latency growth",
        "",
        "The list and search endpoints at every scale (p50, same connections and duration). Target: "
        "p50 at the largest scale ≤ 1.5 × p50 at the smallest.",
        "",
        growth_table(runs),
        "",
        "## Memory and start-up",
        "",
        f"- Cold start on an empty SQLite file (exec → `/health/live` answers; runs every migration, loads the "
        f"reference and demo data): median **{cold['median_s'] * 1000:.0f} ms** of {len(cold['all_s'])} runs "
        f"({', '.join(f'{t * 1000:.0f}' for t in cold['all_s'])} ms). Target < 1 s: "
        f"{'met' if cold['median_s'] < 1 else '**missed**'}.",
        f"- RSS 1.5 s after that cold start (it just hashed the demo password with argon2, 19 MB of work "
        f"memory): {cold['idle_rss_kb'] / 1024:.1f} MB.",
    ]
    for r in runs:
        parts.append(f"- At {r['scale']:,} rows: idle RSS (VmRSS 2 s after `serve` on the loaded database answered) "
                     f"**{r['idle_rss_kb'] / 1024:.1f} MB**; after the benchmark's load and a 2 s settle "
                     f"{r['after_rss_kb'] / 1024:.1f} MB.")
    worst_idle = max(r["idle_rss_kb"] for r in runs) / 1024
    parts.append(f"- Target idle RSS < 40 MB: {'met' if worst_idle < 40 else '**missed**'} (largest idle reading {worst_idle:.1f} MB).")
    parts += ["", "## Commands", "", "```", "make bench                      # SQLite: 10k, 100k, 1M",
              "make bench BENCH_DB=postgres    # the same on PostgreSQL (KAPI_TEST_POSTGRES_URL or 127.0.0.1:5432)",
              "BENCH_SCALES=10000,100000 BENCH_DURATION=5 make bench   # a quicker run",
              "```", ""]
    if notes:
        parts += [notes, ""]
    with open(out, "w") as f:
        f.write("\n".join(parts))
    log(f"wrote {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default=os.environ.get("BENCH_DB", "sqlite"))
    ap.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "10000,100000,1000000"))
    ap.add_argument("--main-scale", type=int, default=100000)
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", "16")))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "18380")))
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--out", default=None, help="markdown file to write (default docs/benchmarks.md, or "
                    "docs/benchmarks-postgres.md with --db postgres)")
    ap.add_argument("--render", metavar="RESULTS_JSON", help="only rewrite the markdown from a run's results "
                    "(target/bench-<db>.json), e.g. after editing docs/benchmarks-notes.md")
    args = ap.parse_args()
    if args.render:
        with open(args.render) as f:
            saved = json.load(f)
        scales = [r["scale"] for r in saved["runs"]]
        if args.main_scale not in scales:
            args.main_scale = scales[len(scales) // 2]
        for k, v in saved.get("args", {}).items():
            setattr(args, k, v)
        out = args.out or os.path.join(ROOT, "docs", "benchmarks.md" if args.db == "sqlite" else "benchmarks-postgres.md")
        write_doc(args, saved["machine"], saved["runs"], saved["cold"], out, saved.get("generated"))
        return
    for tool in (KAPI, LOADER):
        if not os.access(tool, os.X_OK):
            raise SystemExit(f"missing {tool}: run cargo build --release -p kapi-api --bin kapi -p kapi-tests --bin bench-load")
    pg_admin = os.environ.get("KAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if args.main_scale not in scales:
        args.main_scale = scales[len(scales) // 2]
    out = args.out or os.path.join(ROOT, "docs", "benchmarks.md" if args.db == "sqlite" else "benchmarks-postgres.md")
    m = machine()
    work = tempfile.mkdtemp(prefix="kapi-bench.")
    # Copies: a cargo build elsewhere in the tree may relink the binaries during the run.

    for name in ("KAPI", "LOADER"):
        copy = os.path.join(work, os.path.basename(globals()[name]))
        shutil.copy2(globals()[name], copy)
        globals()[name] = copy
    try:
        cold = cold_start(args, work)
        log(f"cold start median {cold['median_s'] * 1000:.0f} ms, idle RSS {cold['idle_rss_kb'] / 1024:.1f} MB")
        runs = [run_scale(args, s, s == args.main_scale, work, pg_admin) for s in scales]
        with open("/proc/loadavg") as f:
            m["load_end"] = " ".join(f.read().split()[:3])
        main_run = next(r for r in runs if r["scale"] == args.main_scale)
        print(f"\n## {args.db}: endpoints at {args.main_scale:,} rows\n")
        print(fmt_table(main_run, main_run["results"][0]["rps"]))
        print("\n## latency growth\n")
        print(growth_table(runs))
        with open(os.path.join(work, "results.json"), "w") as f:
            json.dump({"machine": m, "runs": runs, "cold": cold, "generated": now_utc(),
                       "args": {k: getattr(args, k) for k in ("db", "duration", "warmup", "connections", "threads")}},
                      f, indent=1)
        shutil.copy(os.path.join(work, "results.json"), os.path.join(ROOT, "target", f"bench-{args.db}.json"))
        write_doc(args, m, runs, cold, out)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
