"""mypy on the package: the core must have no error at all, ``ui/`` none beyond its committed baseline.

    python tools/check_types.py                   # what CI runs (tools/check.sh)
    python tools/check_types.py --update-baseline # after fixing UI errors: drop them from the baseline

The baseline (tools/mypy-ui-baseline.txt) lists the UI's known errors, one a line, keyed by file, error
code and message without the line number, so that editing a file elsewhere does not break the check. It
only shrinks: ``--update-baseline`` drops the errors that are gone and refuses to add new ones (fix them,
or, for a false positive, put ``# type: ignore[code]`` on the line).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-ui-baseline.txt"
UI = "spie_desktop/ui/"
_ERROR = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")
_LINE_REFS = re.compile(r"\bon line \d+\b")
HEADER = "# mypy errors the UI had when the check started; this list only shrinks (tools/check_types.py).\n"


def run_mypy() -> tuple[list[str], int]:
    """mypy's error lines (configuration from pyproject.toml) and its exit status."""
    cmd = [
        sys.executable,
        "-m",
        "mypy",
        "--no-pretty",
        "--no-error-summary",
        "--show-error-codes",
        "--hide-error-context",
        "--no-color-output",
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    lines = [line for line in done.stdout.splitlines() if ": error: " in line]
    return lines, done.returncode


def key(line: str) -> tuple[str, str]:
    """(path, ``path: [code] message``) with line numbers taken out of the message."""
    m = _ERROR.match(line)
    if m is None:
        return "", line
    path = m["path"].replace("\\", "/")
    message = _LINE_REFS.sub("on line N", m["message"])
    return path, f"{path}: [{m['code'] or 'misc'}] {message}"


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line and not line.startswith("#"))


def write_baseline(errors: Counter[str]) -> None:
    BASELINE.write_text(HEADER + "".join(f"{k}\n" for k in sorted(errors.elements())), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="drop the UI errors that are fixed from the baseline (never adds one)",
    )
    args = parser.parse_args(argv)

    lines, status = run_mypy()
    if status not in (0, 1) or (status == 1 and not lines):
        print(f"mypy did not run (exit status {status}); is it installed (pip install -e '.[lint]')?")
        return 2
    core: list[str] = []
    ui: Counter[str] = Counter()
    for line in lines:
        path, k = key(line)
        if path.startswith(UI):
            ui[k] += 1
        else:
            core.append(line)
    baseline = read_baseline()
    new = ui - baseline
    fixed = baseline - ui

    if args.update_baseline:
        if new and BASELINE.exists():
            print("The baseline only shrinks: fix these new UI errors first.")
            for k in sorted(new.elements()):
                print(f"  {k}")
            return 1
        write_baseline(ui)
        print(f"{BASELINE.relative_to(ROOT)}: {sum(ui.values())} errors ({sum(fixed.values())} dropped).")
        return 0

    failed = False
    if core:
        failed = True
        print(f"mypy: {len(core)} error(s) in the core, which must have none:")
        for line in core:
            print(f"  {line}")
    if new:
        failed = True
        print(f"mypy: {sum(new.values())} new error(s) in ui/ (not in {BASELINE.relative_to(ROOT)}):")
        for k in sorted(new.elements()):
            print(f"  {k}")
        print("  The line numbers: run `python -m mypy` and look for these messages.")
    if fixed:
        print(
            f"mypy: {sum(fixed.values())} UI error(s) of the baseline are fixed; shrink it with "
            "`python tools/check_types.py --update-baseline` and commit the file."
        )
    if not failed:
        print(f"mypy: core clean; ui/ {sum(ui.values())} known error(s), no new one.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
