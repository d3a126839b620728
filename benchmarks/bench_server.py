"""Load on one dossier: N client processes editing it for S seconds, on a PostgreSQL server (loopback,
a throw-away cluster started here) and on one shared .spie file (SQLite: one writer at a time, each
edit = open with the lock, write, close). Prints, per back-end: edits made, edits lost (a reported
save missing from the dossier), p50/p95 save latency, and p50/p95 time until another client has the
edit (server: LISTEN/NOTIFY then a refresh of its caches; file: an observer re-reading the file).
Goals (issue 17): no lost edit, p95 save ≤ 20 ms, p95 seen-by-others ≤ 1 s. Not a test.

    python benchmarks/bench_server.py [--clients 20] [--seconds 60] [--pause 0.2] [--backend both]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("spie_desktop") is None:  # run from a checkout without an install
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "server"))

from stats import percentile  # noqa: E402

FIELDS = [
    "porteur_nom",
    "porteur_adresse",
    "representant_nom",
    "representant_qualite",
    "chef_projet_nom",
    "chef_projet_fonction",
    "perimetre",
    "diagnostic_territorial",
    "sources_chiffres",
    "publics_autre",
    "connaissance_public",
    "resume",
    "apports",
    "principe_diagnostic_comment",
    "principe_referent_comment",
    "principe_coordination_comment",
    "principe_offre_comment",
    "principe_numerique_comment",
    "principe_participation_comment",
    "instances_pilotage",
    "organisation_trois_niveaux",
    "modalites_evaluation",
]


def _value(client: int, n: int) -> str:
    return f"client {client} édition {n} @{time.time():.6f}"


def _stamp(value: object) -> float | None:
    if isinstance(value, str) and "@" in value:
        try:
            return float(value.rsplit("@", 1)[1])
        except ValueError:
            return None
    return None


def client(
    target: str, index: int, seconds: float, pause: float, out: mp.Queue, ready: mp.Queue, start_at
) -> None:
    try:
        _client(target, index, seconds, pause, out, ready, start_at)
    except BaseException:  # noqa: BLE001 - said by the parent
        out.put({"kind": "client", "error": traceback.format_exc()})
        ready.put(0)  # never leave the others waiting for this one


def _client(
    target: str, index: int, seconds: float, pause: float, out: mp.Queue, ready: mp.Queue, start_at
) -> None:
    from spie_desktop.models import DossierLocked, open_dossier

    field = FIELDS[index % len(FIELDS)]
    on_server = target.startswith("postgresql://")
    saves: list[float] = []
    last = None
    n = 0
    df = open_dossier(target, author=f"client {index}") if on_server else None
    if not on_server:  # what the first edit would import and read, done before the clock starts
        import spie_desktop.models.sql  # noqa: F401

        with open_dossier(target, read_only=True) as warm:
            warm.template  # noqa: B018
    ready.put(1)
    start_at.wait()  # every client connected and warm: the clock starts for all at once
    end = time.time() + seconds
    while time.time() < end:
        n += 1
        t0 = time.perf_counter()
        value = _value(index, n)
        if on_server:
            df.set_value(field, value)
        else:
            while True:  # a shared file: wait for the writer before to close it
                try:
                    with open_dossier(target, author=f"client {index}") as f:
                        f.set_value(field, value)
                    break
                except DossierLocked:
                    time.sleep(0.02)
        saves.append(time.perf_counter() - t0)
        last = value
        time.sleep(pause)
    if df is not None:
        df.close()
    out.put({"kind": "client", "field": field, "saves": saves, "last": last, "n": len(saves)})


def observer(target: str, seconds: float, out: mp.Queue, ready: mp.Queue, start_at) -> None:
    """Another client that only reads: when does it have each edit?"""
    try:
        _observer(target, seconds, out, ready, start_at)
    except BaseException:  # noqa: BLE001 - said by the parent
        out.put({"kind": "observer", "error": traceback.format_exc()})
        ready.put(0)


def _observer(target: str, seconds: float, out: mp.Queue, ready: mp.Queue, start_at) -> None:
    from spie_desktop.models import DossierError, open_dossier

    seen: list[float] = []
    if target.startswith("postgresql://"):
        from spie_desktop.server.notify import Watcher

        df = open_dossier(target, read_only=True)
        watcher = Watcher.of(df)
        top = max((c.id for c in df.changes()), default=0)
        ready.put(1)
        start_at.wait()
        end = time.time() + seconds + 1.0
        while time.time() < end:
            if not watcher.wait(timeout=0.5):
                continue
            df.store.backend.refresh()
            now = time.time()
            new = df.changes(since_id=top)
            for c in new:
                s = _stamp(c.new)
                if s is not None:
                    seen.append(now - s)
            top = max((c.id for c in new), default=top)
        watcher.close()
        df.close()
    else:
        top = 0
        with open_dossier(target, read_only=True) as df:
            top = max((c.id for c in df.changes()), default=0)
        ready.put(1)
        start_at.wait()
        end = time.time() + seconds + 1.0
        while time.time() < end:
            try:
                with open_dossier(target, read_only=True) as df:
                    now = time.time()
                    new = df.changes(since_id=top)
            except DossierError:
                time.sleep(0.01)
                continue
            for c in new:
                s = _stamp(c.new)
                if s is not None:
                    seen.append(now - s)
            top = max((c.id for c in new), default=top)
            time.sleep(0.05)
    out.put({"kind": "observer", "seen": seen})


def run(target: str, clients: int, seconds: float, pause: float) -> dict:
    from spie_desktop.models import open_dossier

    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    ready: mp.Queue = ctx.Queue()
    start_at = ctx.Event()
    procs = [
        ctx.Process(target=client, args=(target, i, seconds, pause, out, ready, start_at))
        for i in range(clients)
    ]
    procs.append(ctx.Process(target=observer, args=(target, seconds, out, ready, start_at)))
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=300)
    start_at.set()
    results = [out.get(timeout=seconds + 120 + clients) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    if any("error" in r for r in results):
        raise SystemExit(f"a client failed: {next(r['error'] for r in results if 'error' in r)}")
    saves = [s for r in results if r["kind"] == "client" for s in r["saves"]]
    seen = [s for r in results if r["kind"] == "observer" for s in r["seen"]]
    lost = 0
    with open_dossier(target, read_only=True) as df:
        logged: dict[str, int] = {}
        for c in df.changes():
            if c.op == "set" and _stamp(c.new) is not None:
                logged[c.path] = logged.get(c.path, 0) + 1
        for r in results:
            if r["kind"] == "client":
                lost += max(0, r["n"] - logged.get(r["field"], 0) // 1)
                if r["last"] is not None and df.get(r["field"]) != r["last"] and clients <= len(FIELDS):
                    lost += 1
    return {
        "edits": len(saves),
        "lost": lost,
        "save_p50_ms": 1000 * percentile(saves, 0.5),
        "save_p95_ms": 1000 * percentile(saves, 0.95),
        "seen_p50_ms": 1000 * percentile(seen, 0.5) if seen else None,
        "seen_p95_ms": 1000 * percentile(seen, 0.95) if seen else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--pause", type=float, default=0.2, help="seconds between two edits of one client")
    ap.add_argument("--backend", choices=["both", "postgresql", "sqlite"], default="both")
    a = ap.parse_args()
    if a.clients > len(FIELDS):
        ap.error(f"at most {len(FIELDS)} clients (one text field each)")
    from spie_desktop.interchange import import_document, load_document

    doc = load_document(ROOT / "resources" / "examples" / "exemple-dossier.json")
    figures = {}
    if a.backend in ("both", "postgresql"):
        import cluster

        from spie_desktop.server.command import import_to_server
        from spie_desktop.server.dossiers import init_server

        c = cluster.start_cluster(fsync=True)  # durable like the file's synchronous=FULL
        try:
            init_server(c.url(password="admin-secret"))
            url = c.url(password="admin-secret", dossier="bench")
            import_to_server(doc, url, author="bench", organisation="", source="exemple")
            figures["postgresql"] = run(url, a.clients, a.seconds, a.pause)
        finally:
            cluster.remove_cluster(c)
    if a.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as d:
            path = import_document(doc, Path(d) / "bench.spie", author="bench")
            figures["sqlite"] = run(str(path), a.clients, a.seconds, a.pause)
    print(json.dumps({"clients": a.clients, "seconds": a.seconds, "pause": a.pause, **figures}, indent=2))
    for name, f in figures.items():
        seen = "-" if f["seen_p95_ms"] is None else f"{f['seen_p95_ms']:.0f} ms"
        print(
            f"{name:10}  edits {f['edits']:6}  lost {f['lost']}  save p50 {f['save_p50_ms']:.1f} ms  "
            f"p95 {f['save_p95_ms']:.1f} ms  seen p95 {seen}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
