#!/usr/bin/env python3
"""Which operations each actor's schemathesis run covers (scripts/fuzz.sh).

`fuzz_plan.py SPEC ACTOR` prints a `--include-operation-id-regex` pattern for ACTOR's run:
the operations of the actor's tags that take a bearer token (the anonymous run: those that
need none; the dev run: the dev helpers). `fuzz_plan.py SPEC --check` fails unless the runs
together cover every operation of the spec.
"""
import json
import sys

# The tags each kind of actor works in (its role's operations; the others answer 403/404).
ACTOR_TAGS = {
    "citizen": ["auth", "applications", "job-seekers", "open-jobs", "petitions", "work-permits", "postings", "integrators"],
    "employer_user": ["auth", "employers", "workforce-charts", "mass-layoffs", "labour-demands"],
    "iskur_staff": ["employers", "workforce-charts", "mass-layoffs", "labour-demands", "open-jobs", "job-seekers"],
    "institution_staff": ["postings", "applications"],
    "ministry_staff": ["work-permits"],
    "desk_officer": ["petitions"],
    "unit_officer": ["petitions"],
    "civil_authority": ["petitions"],
    "province_admin": ["petition-users"],
    "system_admin": ["auth", "sectors", "institutions", "reference", "integrators"],
    # An integrator account: the operations that take its X-Api-Key.
    "integrator": ["integrators"],
}
ORDER = list(ACTOR_TAGS) + ["anonymous", "dev"]


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                yield path, method, op


def takes_token(op, scheme="bearer"):
    return any(scheme in req for req in op.get("security", []))


def needs_no_token(op):
    # `security: []` (a public operation says so), an absent one, or an optional `{}`.
    sec = op.get("security")
    return not sec or any(not req for req in sec)


def select(spec, actor):
    ids = []
    for _, _, op in operations(spec):
        tag = op["tags"][0]
        if actor == "dev":
            ok = tag == "dev"
        elif tag == "dev":
            ok = False
        elif actor == "anonymous":
            ok = needs_no_token(op)
        else:
            scheme = "api_key" if actor == "integrator" else "bearer"
            ok = tag in ACTOR_TAGS[actor] and takes_token(op, scheme)
        if ok:
            ids.append(op["operationId"])
    return ids


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    if sys.argv[2] == "--check":
        every = {op["operationId"] for _, _, op in operations(spec)}
        covered = set()
        for actor in ORDER:
            covered |= set(select(spec, actor))
        missing = sorted(every - covered)
        if missing:
            sys.exit("fuzz plan: no run covers " + ", ".join(missing))
        print(f"fuzz plan: {len(ORDER)} runs cover all {len(every)} operations")
        return
    if sys.argv[2] not in ORDER:
        sys.exit(f"fuzz plan: no actor {sys.argv[2]!r} (one of: {' '.join(ORDER)})")
    ids = select(spec, sys.argv[2])
    if not ids:
        sys.exit(f"fuzz plan: no operation for {sys.argv[2]}")
    print("^(" + "|".join(sorted(ids)) + ")$")


if __name__ == "__main__":
    main()
