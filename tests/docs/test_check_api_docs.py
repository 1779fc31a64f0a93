#!/usr/bin/env python3
"""The docs checker catches what it is for (ctest docs.api_checker_catches_mistakes):
on a copy of docs/openapi.json and a docs/api.md of wrong examples, each mistake
is reported, and a right example is not."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_api_docs  # noqa: E402

T = '-H "Authorization: Bearer $T"'
EXAMPLES = {
    "no route": f"curl -s http://127.0.0.1:8080/v1/nowhere {T}",
    "no operation": f"curl -s -X DELETE http://127.0.0.1:8080/v1/referrals/7 {T}",
    "no query parameter": f"curl -s 'http://127.0.0.1:8080/v1/visits?day=2026-01-12' {T}",
    "unknown field": f"curl -s -X PATCH http://127.0.0.1:8080/v1/visits/3 {T} -d '{{\"pin\":true}}'",
    "must be boolean": f"curl -s -X PATCH http://127.0.0.1:8080/v1/visits/3 {T} -d '{{\"pinned\":\"yes\"}}'",
    "is required": f"curl -s -X POST http://127.0.0.1:8080/v1/plans {T} -d '{{\"date\":\"2026-01-13\"}}'",
    "not JSON": f"curl -s -X POST http://127.0.0.1:8080/v1/plans {T} -d '{{locality: 1}}'",
}
GOOD = (f"curl -s -X POST http://127.0.0.1:8080/v1/plans {T} \\\n"
        "  -d '{\"locality\":1,\"date\":\"2026-01-13\",\n  \"publish\":false}'")


def main():
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "docs"))
        shutil.copy(os.path.join(source, "docs", "openapi.json"), os.path.join(tmp, "docs"))
        md = "\n\n".join("    " + e for e in list(EXAMPLES.values()) + [GOOD]) + "\n"
        open(os.path.join(tmp, "docs", "api.md"), "w").write(md)
        problems, checked = check_api_docs.check(tmp)
    failed = 0
    for what in EXAMPLES:
        if not any(what in p for p in problems):
            print(f"not caught: {what}")
            failed += 1
    if len(problems) != len(EXAMPLES):
        print("reported:", *problems, sep="\n  ")
        failed += 1
    print(f"{len(EXAMPLES) - failed} of {len(EXAMPLES)} mistakes caught; {checked} examples parsed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
