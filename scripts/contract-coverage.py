#!/usr/bin/env python3
"""How much of the contract the black-box suite checked.

The test harness (tests/src/contract.rs) appends each distinct (spec file, method, path template,
declared status) it validated to <target>/contract-coverage/<pid>.txt. This sums the files up
against the statuses the spec files declare and prints
    N operations × statuses validated of M declared (K of L operations)
Usage: scripts/contract-coverage.py [--missing] [coverage dir]
  --missing  also list the declared (method, path, status) no test validated
"""
import json
import os
import sys
from pathlib import Path

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(__file__).resolve().parent.parent
    target = Path(os.environ.get("CARGO_TARGET_DIR") or root / "target")
    if not target.is_absolute():
        target = root / target
    directory = Path(args[0]) if args else target / "contract-coverage"
    validated = set()
    files = set()
    for f in sorted(directory.glob("*.txt")) if directory.is_dir() else []:
        for line in f.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                files.add(parts[0])
                validated.add((parts[1], parts[2], parts[3]))
    if not validated:
        print(f"contract coverage: nothing recorded under {directory} (run the black-box tests first)")
        return 1
    declared = set()
    for name in sorted(files):
        spec = json.loads((root / name).read_text(encoding="utf-8"))
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    for status in op.get("responses", {}):
                        declared.add((method.upper(), path, status))
    covered = validated & declared
    ops = {(m, p) for m, p, _ in declared}
    ops_covered = {(m, p) for m, p, _ in covered}
    print(
        f"contract coverage ({', '.join(sorted(files))}): "
        f"{len(covered)} operations × statuses validated of {len(declared)} declared "
        f"({len(ops_covered)} of {len(ops)} operations)"
    )
    stale = validated - declared
    if stale:
        print(f"  {len(stale)} recorded entries are not in the spec files (stale records?)")
    if "--missing" in sys.argv:
        for m, p, s in sorted(declared - covered, key=lambda t: (t[1], t[0], t[2])):
            print(f"  not validated: {m} {p} {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
