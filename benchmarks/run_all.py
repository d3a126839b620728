"""Every speed goal of SPIE Desktop, measured on the installed package, each figure beside the
floor measured in the same run and their ratio.

    python benchmarks/run_all.py [--runs N] [--quick] [--markdown] [--no-xvfb] [--python PY]

The checkout is built into a wheel and installed (not editable, ``--no-deps``) into a throw-away
venv that borrows this interpreter's dependencies; the measurements then run with that venv's
python from a folder outside the checkout, and the report says which ``spie_desktop`` it imported.
``--python`` uses an interpreter where the application is already installed instead. Dossiers at
1×, 10× and 100× the example's repetition rows (50 / 500 / 5 000) come from benchmarks/scaled.py
through the interchange import; ``--quick`` keeps 1× and 10×. Start-up is measured offscreen and
under Xvfb (display :20) when Xvfb is installed. This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
XVFB_DISPLAY = ":20"


# -- the throw-away install -------------------------------------------------------------------


def install(tmp: Path) -> Path:
    """A venv holding the checkout's wheel, its dependencies borrowed from this interpreter."""
    wheels = tmp / "roue"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wheel = next(wheels.glob("spie_desktop-*.whl"))
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # a plain path line: the dependencies import, but this interpreter's .pth files (an editable
    # install of the checkout among them) are not run, so spie_desktop comes from the wheel only
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz-banc-dependances.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return python


def start_xvfb() -> subprocess.Popen | None:
    """Xvfb on XVFB_DISPLAY, returned once it accepts clients (``-displayfd``: Xvfb writes the display
    number when it is ready). A fixed sleep was not enough: the first xcb client could come before
    the display answered, and Qt's xcb plugin aborts then (code -6, seen at « démarrage Xvfb »)."""
    if shutil.which("Xvfb") is None:
        return None
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [
            "Xvfb",
            XVFB_DISPLAY,
            "-screen",
            "0",
            "1280x1024x24",
            "-nolisten",
            "tcp",
            "-displayfd",
            str(write_end),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    ready = b""
    deadline = time.monotonic() + 15.0
    try:
        while b"\n" not in ready and time.monotonic() < deadline and proc.poll() is None:
            readable, _, _ = select.select([read_end], [], [], 0.2)
            if readable:
                chunk = os.read(read_end, 64)
                if not chunk:
                    break
                ready += chunk
    finally:
        os.close(read_end)
    if b"\n" not in ready or proc.poll() is not None:
        print(f"Xvfb {XVFB_DISPLAY} ne répond pas : démarrage sous Xvfb non mesuré", file=sys.stderr)
        if proc.poll() is None:
            proc.kill()
        return None
    return proc


# -- the measuring process (inside the install) -----------------------------------------------


def worker(args: argparse.Namespace) -> int:
    import spie_desktop

    imported = Path(spie_desktop.__file__).resolve()
    if ROOT in imported.parents and not args.allow_checkout:
        print(json.dumps({"error": f"spie_desktop importé depuis la copie de travail : {imported}"}))
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import suite

    factors = (1, 10) if args.quick else (1, 10, 100)
    rows: list[suite.Row] = []
    sections: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="spie-banc-") as name:
        tmp = Path(name)
        from spie_desktop.interchange import create_example_copy

        example = create_example_copy(tmp)

        def timed(label: str, fn, *a):
            t = time.perf_counter()
            result = fn(*a)
            sections.append((label, time.perf_counter() - t))
            return result

        rows += timed("démarrage", suite.startup, args.runs, tmp / "offscreen", "offscreen")
        if args.display:
            rows += timed("démarrage Xvfb", suite.startup, args.runs, tmp / "xvfb", "xcb", args.display)
        rows += timed("saisie", suite.saved_edit, example, args.runs, tmp)
        import_rows, files = timed("import", suite.imports, factors, args.runs, tmp)
        rows += import_rows
        rows += timed("copie", suite.saved_copies, factors, files, args.runs, tmp)
        rows += timed("fusion ×N", suite.scaled_merges, factors, files, args.runs, tmp)
        rows += timed("vérification", suite.checks, factors, files, args.runs)
        rows += timed("PDF", suite.pdfs, factors, args.runs, tmp)
        rows += timed("fenêtre", suite.first_visits, files, tmp)
        merge_dir = tmp / "fusion"
        merge_dir.mkdir()
        rows += timed("fusion", suite.merging, merge_dir)
        rows += timed("durabilité", suite.durability, args.runs)
    print(
        json.dumps(
            {
                "imported": str(imported),
                "rows": [r.as_dict() for r in rows],
                "sections": sections,
                "peak_mib": suite.peak_rss(),
            }
        )
    )
    return 0


# -- the report -------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = f", charge {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{cpu}, {os.cpu_count()} cœurs{load} — {platform.system()} {platform.release()} — Python "
        f"{platform.python_version()}"
    )


def report(result: dict, args: argparse.Namespace, elapsed: float) -> int:
    verdict = {True: "atteint", False: "NON ATTEINT", None: "—"}
    rows = result["rows"]
    command = "python benchmarks/run_all.py " + " ".join(a for a in sys.argv[1:])
    print(f"Machine : {machine()}")
    print(f"Commande : {command.strip()} — {time.strftime('%Y-%m-%d %H:%M')} — {elapsed:.0f} s en tout")
    print(f"Paquet mesuré : {result['imported']}")
    if args.markdown:
        print("\n| mesure | résultat | plancher dans la même exécution | rapport | objectif | |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['name']} | {r['value']} | {r['floor'] or '—'} | {r['ratio'] or '—'} | {r['goal'] or '—'} | "
                f"{verdict[r['ok']]} |"
            )
    else:
        width = max(len(r["name"]) for r in rows)
        for r in rows:
            print(
                f"{r['name']:<{width}}  {r['value']:>9}  {r['floor']:<44} {r['ratio']:>8}  {r['goal']:<8} "
                f"{verdict[r['ok']]}"
            )
    print("Durées : " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result["sections"]))
    return 0 if all(r["ok"] is not False for r in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="passages par mesure (3 par défaut)")
    parser.add_argument("--quick", action="store_true", help="dossiers ×1 et ×10 seulement")
    parser.add_argument("--markdown", action="store_true", help="tableau Markdown (pour le README)")
    parser.add_argument("--no-xvfb", action="store_true", help="démarrage hors écran seulement")
    parser.add_argument("--python", help="interpréteur où l'application est déjà installée")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--display", default="", help=argparse.SUPPRESS)
    parser.add_argument("--allow-checkout", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(HERE))
        return worker(args)

    started = time.perf_counter()
    xvfb = None
    with tempfile.TemporaryDirectory(prefix="spie-banc-install-") as name:
        tmp = Path(name)
        python = Path(args.python) if args.python else install(tmp)
        if not args.no_xvfb:
            xvfb = start_xvfb()
        try:
            cmd = [str(python), str(HERE / "run_all.py"), "--worker", "--runs", str(args.runs)]
            cmd += ["--quick"] if args.quick else []
            cmd += ["--display", XVFB_DISPLAY] if xvfb is not None else []
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
            out = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        finally:
            if xvfb is not None:
                xvfb.send_signal(signal.SIGTERM)
                xvfb.wait(10)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode not in (0,) or not lines:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        return 2
    result = json.loads(lines[-1])
    if "error" in result:
        sys.stderr.write(result["error"] + "\n")
        return 2
    return report(result, args, time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
