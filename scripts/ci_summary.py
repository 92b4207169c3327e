"""Read a pytest JUnit XML file and fail unless tests ran, none failed and none was skipped.

Used by .ci/run after each test step: a step that collected nothing, or skipped a test because a
tool was missing, must not pass. Expected failures (xfail), which JUnit files list as skipped,
are counted apart. Prints the counts and the skip summary.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str, step: str) -> int:
    root = ET.parse(path).getroot()
    cases = list(root.iter("testcase"))
    failures = [c for c in cases if c.find("failure") is not None]
    errors = [c for c in cases if c.find("error") is not None]
    skipped, xfailed = [], 0
    for case in cases:
        skip = case.find("skipped")
        if skip is None:
            continue
        if skip.get("type") == "pytest.xfail":
            xfailed += 1
        else:
            message = (skip.get("message") or "").strip()
            skipped.append(f"  {case.get('classname')}::{case.get('name')}: {message}")
    print(
        f"{step}: {len(cases)} tests, {len(failures)} failures, {len(errors)} errors, "
        f"{len(skipped)} skipped, {xfailed} expected failures"
    )
    print("skip summary:", "(empty)" if not skipped else "")
    for line in skipped:
        print(line)
    if not cases:
        print(f"{step}: no test ran", file=sys.stderr)
        return 1
    if failures or errors:
        print(f"{step}: {len(failures) + len(errors)} tests failed", file=sys.stderr)
        return 1
    if skipped:
        print(
            f"{step}: {len(skipped)} tests skipped; CI installs every tool, so none may",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
