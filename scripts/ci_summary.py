"""Read a pytest JUnit XML file and fail unless tests ran and none was skipped.

Used by .ci/run after each test step: a step that collected nothing, or skipped a test because a
tool was missing, must not pass. Prints one line: tests, failures, errors, skipped.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str, step: str) -> int:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    totals = {
        key: sum(int(s.get(key, 0)) for s in suites)
        for key in ("tests", "failures", "errors", "skipped")
    }
    print(
        f"{step}: {totals['tests']} tests, {totals['failures']} failures, "
        f"{totals['errors']} errors, {totals['skipped']} skipped"
    )
    skipped = [
        f"  {case.get('classname')}::{case.get('name')}: {(case.find('skipped').get('message') or '').strip()}"
        for suite in suites
        for case in suite.iter("testcase")
        if case.find("skipped") is not None
    ]
    print("skip summary:", "(empty)" if not skipped else "")
    for line in skipped:
        print(line)
    if totals["tests"] == 0:
        print(f"{step}: no test ran", file=sys.stderr)
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
