#!/usr/bin/env python3
"""Crash durability test (standard library only): `scripts/crash-test.sh [sqlite|postgres] [--short]`.

1. A fresh database loaded by `bench-load` (submitted work-permit applications to act on).
2. `kapi serve` on it; concurrent clients submit petitions (citizens) and move work permits
   through the evaluator's steps (start evaluation, then ask for missing documents),
   recording every request that got a 2xx with what it answered, and every request in
   flight.
3. `kill -9` of the server in the middle of that load.
4. A restart on the same database, then the checks:
   - over HTTP: every acknowledged petition is there with its tracking number, subject and
     status, and its history; every acknowledged work-permit step is there (the state is
     the acknowledged one, or the next step if that request was in flight when the server
     died), and its history ends in that state;
   - in SQL: nothing half-written — no petition without its history, headings or (when
     routed) routings; no side row or history entry without its petition; no work permit
     whose status disagrees with its last history entry or whose history has more entries
     than steps it went through; tracking numbers unique and below the counter;
   - the restarted server takes new writes (a petition gets the next tracking number).
Prints PASS or FAIL with the counts; exits non-zero on FAIL.
"""
import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Kapi2026"
CITIZENS = ["12345678950", "10000000146", "23456789060", "34567890170", "45678901280"]
# The evaluator's steps in order: (path suffix, body, state after).
STEPS = [
    ("start-evaluation", {}, "under_evaluation"),
    ("request-documents", {"note": "Bakım yapılacak kişinin sağlık raporu eksiktir."}, "missing_documents"),
]


def log(msg):
    print(f"[crash-test] {msg}", file=sys.stderr, flush=True)


class Client:
    """One keep-alive connection; any transport error raises ConnectionError."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, body=None, token=None, timeout=10):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                try:
                    parsed = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw.decode(errors="replace")
                return r.status, parsed
            except (OSError, http.client.HTTPException) as e:
                self.conn.close()
                self.conn = None
                # A stale keep-alive connection may fail before the request was sent; a
                # second failure means the server is gone.
                if attempt == 1 or method != "GET":
                    raise ConnectionError(str(e)) from e
        raise ConnectionError("unreachable")


def expect(status, got, what):
    if got[0] != status:
        raise SystemExit(f"{what}: expected {status}, got {got[0]}: {got[1]}")
    return got[1]


class Server:
    def __init__(self, binary, url, port, datadir, log_path):
        self.binary, self.url, self.port, self.datadir, self.log_path = binary, url, port, datadir, log_path
        self.proc = None

    def start(self):
        env = dict(os.environ, KAPI_PROFILE="dev", KAPI_BIND=f"127.0.0.1:{self.port}", KAPI_DATABASE_URL=self.url,
                   KAPI_DATA_DIR=self.datadir, KAPI_JOBS_INTERVAL_SECONDS="0", RUST_LOG="warn")
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        c = Client(self.port)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited ({self.proc.returncode}); log: {open(self.log_path).read()[-3000:]}")
            try:
                if c.call("GET", "/health/ready", timeout=2)[0] == 200:
                    return
            except ConnectionError:
                pass
            time.sleep(0.05)
        raise SystemExit("the server did not become ready")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()


# --------------------------------------------------------------------------------------
# SQL, on either database


class Sql:
    def __init__(self, kind, url):
        self.kind, self.url = kind, url

    def rows(self, q):
        if self.kind == "sqlite":
            c = sqlite3.connect(self.url, timeout=30)
            try:
                return [tuple(r) for r in c.execute(q).fetchall()]
            finally:
                c.close()
        out = subprocess.run(["psql", self.url, "-v", "ON_ERROR_STOP=1", "-tA", "-F", "\t", "-c", q],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def one(self, q):
        r = self.rows(q)
        return r[0][0] if r else None


# --------------------------------------------------------------------------------------
# The load


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.petitions = {}  # id -> (tracking_no, marker, status)
        self.petition_attempts = 0
        self.petition_in_flight = set()  # markers sent without an answer
        self.permit_acked = {}  # id -> index of the last acknowledged step (-1: none)
        self.permit_in_flight = {}  # id -> index of the step sent without an answer
        self.errors = []  # unexpected answers (non-2xx other than the server dying)
        self.acks = 0


def wp_status(view):
    """The status code of a work-permit view (`evaluation.status.code`)."""
    try:
        return view["evaluation"]["status"]["code"]
    except (KeyError, TypeError):
        return None


def petition_body(sector, marker):
    return {
        "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001,
                            "open_address": "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 02", "email": "vatandas@ornek.com.tr",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor", "sector_id": sector,
        "subject": f"Çökme dayanıklılığı dilekçesi {marker}: okulun bahçe duvarı yıkılmak üzere.",
    }


def petition_worker(port, token, sector, ledger, stop):
    c = Client(port)
    while not stop.is_set():
        marker = uuid.uuid4().hex
        with ledger.lock:
            ledger.petition_attempts += 1
            ledger.petition_in_flight.add(marker)
        try:
            status, body = c.call("POST", "/api/v1/petitions", petition_body(sector, marker), token)
        except ConnectionError:
            return
        with ledger.lock:
            ledger.petition_in_flight.discard(marker)
            if status == 201:
                ledger.petitions[body["id"]] = (body["tracking_no"], marker, body["status"])
                ledger.acks += 1
            else:
                ledger.errors.append(f"petition submit: {status} {body}")


def permit_worker(port, token, ids, ledger, stop):
    c = Client(port)
    for pid in ids:
        for i, (suffix, body, state) in enumerate(STEPS):
            if stop.is_set():
                return
            with ledger.lock:
                ledger.permit_in_flight[pid] = i
            try:
                status, answer = c.call("POST", f"/api/v1/work-permits/{pid}/{suffix}", body, token)
            except ConnectionError:
                return
            with ledger.lock:
                del ledger.permit_in_flight[pid]
                if 200 <= status < 300:
                    if wp_status(answer) != state:
                        ledger.errors.append(f"permit {pid} {suffix}: answered status {wp_status(answer)}, expected {state}")
                    ledger.permit_acked[pid] = i
                    ledger.acks += 1
                else:
                    ledger.errors.append(f"permit {pid} {suffix}: {status} {answer}")
                    break


# --------------------------------------------------------------------------------------
# The checks


def verify(args, port, sql, ledger, tokens, permits):
    failures = []
    c = Client(port)

    def fail(msg):
        if len(failures) < 50:
            log("FAIL: " + msg)
        failures.append(msg)

    # Petitions over HTTP.
    checked_pet = 0
    for pid, (tracking_no, marker, status) in ledger.petitions.items():
        s, body = c.call("GET", f"/api/v1/petitions/{pid}", token=tokens["citizen"])
        if s != 200:
            fail(f"acknowledged petition {pid} (no {tracking_no}) answers {s}")
            continue
        if body.get("tracking_no") != tracking_no or marker not in json.dumps(body, ensure_ascii=False) \
                or body.get("status") != status:
            fail(f"petition {pid} differs from its acknowledgement: {body.get('tracking_no')} {body.get('status')}")
        s, h = c.call("GET", f"/api/v1/petitions/{pid}/history", token=tokens["citizen"])
        items = h.get("items", h) if isinstance(h, dict) else h
        if s != 200 or not items:
            fail(f"petition {pid} has no history ({s})")
        checked_pet += 1

    # Work permits over HTTP: the acknowledged step, or the next one if it was in flight.
    checked_wp = 0
    for pid in permits:
        acked = ledger.permit_acked.get(pid, -1)
        in_flight = ledger.permit_in_flight.get(pid)
        allowed = {"submitted" if acked < 0 else STEPS[acked][2]}
        if in_flight is not None:
            allowed.add(STEPS[in_flight][2])
        s, body = c.call("GET", f"/api/v1/work-permits/{pid}", token=tokens["evaluator"])
        if s != 200:
            fail(f"work permit {pid} answers {s}")
            continue
        if wp_status(body) not in allowed:
            fail(f"work permit {pid} is {wp_status(body)}, acknowledged {sorted(allowed)}")
        s, h = c.call("GET", f"/api/v1/work-permits/{pid}/history", token=tokens["evaluator"])
        items = h.get("items", h) if isinstance(h, dict) else h
        if s != 200 or not items:
            fail(f"work permit {pid} history answers {s}")
        elif items[-1].get("to_state") != wp_status(body) and items[0].get("to_state") != wp_status(body):
            # Whatever the order the API lists it in, the newest entry is the state.
            fail(f"work permit {pid}: status {wp_status(body)} but history ends in "
                 f"{items[-1].get('to_state')} / starts with {items[0].get('to_state')}")
        checked_wp += 1

    # Half-written records, in SQL.
    checks = {
        "petitions without a history entry":
            "SELECT count(*) FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM history_entries h "
            "WHERE h.resource_kind = 'petition' AND h.resource_id = p.id)",
        "petitions without headings":
            "SELECT count(*) FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM petition_headings x WHERE x.petition_id = p.id)",
        "routed petitions without routings":
            "SELECT count(*) FROM petitions p WHERE p.status = 'routed' AND NOT EXISTS "
            "(SELECT 1 FROM petition_routings x WHERE x.petition_id = p.id)",
        "petition side rows without their petition":
            "SELECT (SELECT count(*) FROM petition_headings x WHERE NOT EXISTS (SELECT 1 FROM petitions p WHERE p.id = x.petition_id))"
            " + (SELECT count(*) FROM petition_routings x WHERE NOT EXISTS (SELECT 1 FROM petitions p WHERE p.id = x.petition_id))"
            " + (SELECT count(*) FROM petition_files x WHERE NOT EXISTS (SELECT 1 FROM petitions p WHERE p.id = x.petition_id))",
        "petition history without its petition":
            "SELECT count(*) FROM history_entries h WHERE h.resource_kind = 'petition' AND NOT EXISTS "
            "(SELECT 1 FROM petitions p WHERE p.id = h.resource_id)",
        "duplicate tracking numbers":
            "SELECT count(*) FROM (SELECT tracking_no FROM petitions GROUP BY tracking_no HAVING count(*) > 1) d",
        "tracking numbers above the counter":
            "SELECT count(*) FROM petitions WHERE tracking_no > (SELECT counter FROM named_locks WHERE name = 'petition_no')",
        "work permits whose status is not their last history entry's":
            "SELECT count(*) FROM work_permits w WHERE w.status <> (SELECT h.to_state FROM history_entries h "
            "WHERE h.resource_kind = 'work_permit' AND h.resource_id = w.id ORDER BY h.at DESC, h.id DESC LIMIT 1)",
        "work permits with more evaluator entries than steps":
            "SELECT count(*) FROM work_permits w WHERE (SELECT count(*) FROM history_entries h WHERE h.resource_kind = "
            "'work_permit' AND h.resource_id = w.id AND h.to_state IN ('under_evaluation', 'missing_documents')) > 2",
        "work permits whose status column and document disagree": None,
    }
    sql_counts = {}
    for name, q in checks.items():
        if q is None:
            continue
        n = int(sql.one(q) or 0)
        sql_counts[name] = n
        if n:
            fail(f"{name}: {n}")
    # The document (JSON) against the status column, decoded here so both databases are
    # checked the same way.
    bad_docs = 0
    for wid, status, doc in sql.rows("SELECT id, status, document FROM work_permits"):
        d = json.loads(doc)
        if json.dumps(d).find(f'"{status}"') < 0:
            bad_docs += 1
    sql_counts["work permits whose status column and document disagree"] = bad_docs
    if bad_docs:
        fail(f"work permits whose status column and document disagree: {bad_docs}")

    # Written-but-unacknowledged petitions may exist only for requests in flight.
    markers = {m for (_, m, _) in ledger.petitions.values()}
    stored = sql.rows("SELECT document FROM petitions WHERE document LIKE '%Çökme dayanıklılığı dilekçesi%'")
    extra = 0
    for (doc,) in stored:
        subject = json.loads(doc).get("subject", "")
        m = subject.split("dilekçesi ", 1)[1].split(":", 1)[0] if "dilekçesi " in subject else ""
        if m not in markers:
            if m in ledger.petition_in_flight:
                extra += 1
            else:
                fail(f"a petition nobody sent or acknowledged: {m}")

    # The restarted server takes writes and numbers after everything stored.
    top = int(sql.one("SELECT max(tracking_no) FROM petitions") or 0)
    marker = f"after-restart-{uuid.uuid4().hex}"
    s, body = c.call("POST", "/api/v1/petitions", petition_body(tokens["sector"], marker), tokens["citizen"])
    if s != 201:
        fail(f"a petition after the restart: {s} {body}")
    else:
        ledger.petitions[body["id"]] = (body["tracking_no"], marker, body["status"])
        if body["tracking_no"] <= top:
            fail(f"tracking number reused after the restart: {body['tracking_no']} <= {top}")
    return failures, checked_pet, checked_wp, extra, sql_counts


# --------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", default="sqlite", choices=["sqlite", "postgres"])
    ap.add_argument("--short", action="store_true", help="the CI form: a small dataset, a short load")
    ap.add_argument("--bin", default=os.environ.get("KAPI_BIN"))
    ap.add_argument("--loader", default=os.environ.get("KAPI_LOADER"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("CRASH_PORT", "18381")))
    ap.add_argument("--rounds", type=int, default=None, help="kill/restart rounds (default 1 short, 3 long)")
    args = ap.parse_args()
    rounds = args.rounds or (1 if args.short else 3)
    scale = 1000 if args.short else 6000
    load_seconds = (2.0, 4.0) if args.short else (4.0, 10.0)
    work = tempfile.mkdtemp(prefix="kapi-crash.")
    os.environ["PGOPTIONS"] = "-c client_min_messages=warning"
    pg_admin = os.environ.get("KAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    name = f"kapi_crash_{os.getpid()}"
    if args.db == "sqlite":
        url = os.path.join(work, "kapi.db")
    else:
        url = pg_admin.rsplit("/", 1)[0] + "/" + name
        subprocess.run(["psql", pg_admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
        subprocess.run(["psql", pg_admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    server = Server(args.bin, url, args.port, os.path.join(work, "data"), os.path.join(work, "server.log"))
    ok = False
    try:
        fixture = os.path.join(work, "fixture.json")
        log(f"{args.db}: loading the dataset (scale {scale}) …")
        subprocess.run([args.loader, url, str(scale), fixture], check=True, stderr=subprocess.DEVNULL)
        permits = json.load(open(fixture))["submitted_work_permits"]
        random.Random(7).shuffle(permits)
        sql = Sql(args.db, url)
        ledger = Ledger()
        remaining = list(permits)
        total_failures = []
        for rnd in range(1, rounds + 1):
            server.start()
            c = Client(args.port)
            tokens = {
                "citizen": expect(200, c.call("POST", "/api/v1/auth/e-devlet/login",
                                              {"tckn": CITIZENS[0], "password": PASSWORD}), "citizen login")["access_token"],
                "evaluator": expect(200, c.call("POST", "/api/v1/auth/staff/login",
                                                {"username": "bakanlik.degerlendirici", "password": PASSWORD}), "evaluator login")["access_token"],
                "sector": expect(200, c.call("GET", "/api/v1/reference/sectors"), "sectors")["items"][0]["id"],
            }
            stop = threading.Event()
            threads = []
            for _ in range(4):
                threads.append(threading.Thread(target=petition_worker, args=(args.port, tokens["citizen"], tokens["sector"], ledger, stop)))
            # This round's share of the permits, split between four clients.
            share = remaining[:max(4, len(permits) // rounds)] if rnd < rounds else remaining
            per = max(1, len(share) // 4)
            batches = [share[i * per:(i + 1) * per] for i in range(3)] + [share[3 * per:]]
            for b in batches:
                threads.append(threading.Thread(target=permit_worker, args=(args.port, tokens["evaluator"], b, ledger, stop)))
            used = {p for b in batches for p in b}
            remaining = [p for p in remaining if p not in used]
            for t in threads:
                t.start()
            wait = random.uniform(*load_seconds)
            time.sleep(wait)
            acks_before = ledger.acks
            log(f"round {rnd}: kill -9 after {wait:.1f} s ({acks_before} writes acknowledged so far, "
                f"{len(ledger.petition_in_flight)} petitions and {len(ledger.permit_in_flight)} permit steps in flight)")
            server.kill9()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            if ledger.errors:
                for e in ledger.errors[:10]:
                    log(f"unexpected answer before the kill: {e}")
                total_failures += ledger.errors
                ledger.errors = []
            server.start()
            failures, n_pet, n_wp, extra, counts = verify(args, args.port, sql, ledger, tokens, permits)
            total_failures += failures
            log(f"round {rnd}: checked {n_pet} acknowledged petitions, {n_wp} work permits "
                f"({sum(1 for v in ledger.permit_acked.values() if v >= 0)} with acknowledged steps); "
                f"{extra} petitions written by requests in flight; half-written checks: "
                + ", ".join(f"{k} = {v}" for k, v in counts.items()))
            server.stop()
            # Steps in flight are settled by what the database now says.
            for pid, i in list(ledger.permit_in_flight.items()):
                st = sql.one(f"SELECT status FROM work_permits WHERE id = '{pid}'")
                if st == STEPS[i][2]:
                    ledger.permit_acked[pid] = i
            ledger.permit_in_flight.clear()
            for doc in sql.rows("SELECT id, tracking_no, status, document FROM petitions WHERE document LIKE '%Çökme dayanıklılığı dilekçesi%'"):
                pid, no, status, d = doc
                subject = json.loads(d).get("subject", "")
                m = subject.split("dilekçesi ", 1)[1].split(":", 1)[0] if "dilekçesi " in subject else ""
                if m in ledger.petition_in_flight:
                    ledger.petitions[pid] = (int(no), m, status)
            ledger.petition_in_flight.clear()
        acked_pet = len(ledger.petitions)
        acked_steps = sum(v + 1 for v in ledger.permit_acked.values())
        if total_failures:
            print(f"crash-test {args.db}: FAIL — {len(total_failures)} problems after {rounds} kill -9 round(s) "
                  f"({acked_pet} petitions, {acked_steps} work-permit steps acknowledged)")
        elif acked_pet == 0 or acked_steps == 0:
            print(f"crash-test {args.db}: FAIL — the load acknowledged nothing to check "
                  f"({acked_pet} petitions, {acked_steps} work-permit steps)")
        else:
            ok = True
            print(f"crash-test {args.db}: PASS — {rounds} kill -9 round(s); {acked_pet} acknowledged petitions and "
                  f"{acked_steps} acknowledged work-permit steps on {len(ledger.permit_acked)} applications all present "
                  f"and consistent; no half-written record")
    finally:
        server.stop()
        if args.db == "postgres":
            subprocess.run(["psql", pg_admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if ok or os.environ.get("CRASH_KEEP") != "1":
            import shutil
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
