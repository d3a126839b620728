"""Random edit sequences on two or three copies (answers, rows, moves, title, comments, attachments),
with merges in between: merging never fails, everyone ends with the same dossier, and when nobody
clashed the merge order does not matter."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from collabkit import Clock, state
from hypothesis import HealthCheck, given, settings, strategies as st

from spie_desktop.collab import MergeOutcome, make_partner_copy, merge
from spie_desktop.forms import registry
from spie_desktop.models import DossierFile, open_dossier

VALUES = {"perimetre": ["nord", "sud", None], "volume_2022": [10, 20], "resume": ["court", "long"]}
LABELS = ["COPIL", "Bilan", "Lancement", None]

op = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(sorted(VALUES)), st.integers(0, 2)),
    st.tuples(st.just("add"), st.integers(0, 3), st.sampled_from(LABELS)),
    st.tuples(st.just("edit"), st.integers(0, 5), st.sampled_from(LABELS)),
    st.tuples(st.just("remove"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 3)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.sampled_from(["mine", "theirs"])),
    st.tuples(st.just("title"), st.sampled_from(["Titre A", "Titre B"])),
    st.tuples(st.just("comment"), st.sampled_from(["perimetre", "resume", ""])),
    st.tuples(st.just("resolve_comment"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("attach"), st.sampled_from([b"rib-1", b"rib-2"])),
    st.tuples(st.just("detach"), st.integers(0, 3)),
)


def _apply(dfs, paths, who: int, step) -> None:
    df = dfs[who]
    kind = step[0]
    rows = df.row_ids("jalons")
    if kind == "set":
        choices = VALUES[step[1]]
        df.set_value(step[1], choices[step[2] % len(choices)])
    elif kind == "add":
        df.add_row("jalons", {"libelle": step[2]}, index=step[1])
    elif kind == "title":
        df.set_title(step[1])
    elif kind == "comment":
        df.add_comment(step[1], f"remarque de P{who}")
    elif kind == "resolve_comment":
        comments = df.comments()
        if comments:
            df.set_comment_resolved(comments[step[1] % len(comments)].id, step[2])
    elif kind == "attach":
        df.add_attachment("rib", step[1], name="rib.pdf")
    elif kind == "detach":
        attachments = df.attachments("rib")
        if attachments:
            df.remove_attachment(attachments[step[1] % len(attachments)].id)
    elif kind == "sync":
        other = step[1] % len(dfs)
        if other != who:
            merge(df, paths[other], prefer=step[2])
    elif rows:
        rid = rows[step[1] % len(rows)]
        if kind == "edit":
            df.set_value(f"jalons[{rid}].libelle", step[2])
        elif kind == "remove":
            df.remove_row("jalons", rid)
        elif kind == "move":
            df.move_row("jalons", rid, step[2])


def _gather(work: Path, paths: list[Path], order: tuple[int, ...], tag: str) -> tuple[dict, bool]:
    """Copies of every file; the first in ``order`` merges the others, then they all merge it back."""
    copies = []
    for i, p in enumerate(paths):
        with open_dossier(p, read_only=True) as df:
            copies.append(df.save_copy(work / f"{tag}-{i}.spie", new_replica=False))
    hub_path = copies[order[0]]
    clashed = False
    with open_dossier(hub_path, author="Hub") as hub:
        for i in order[1:]:
            result = merge(hub, copies[i], prefer="theirs")
            clashed |= bool(result.conflicts)
        final = state(hub)
        assert merge(hub, copies[order[-1]]).outcome is MergeOutcome.UP_TO_DATE
    for i in order[1:]:
        with open_dossier(copies[i], author="Partenaire") as df:
            back = merge(df, hub_path)
            assert not back.conflicts
            assert state(df) == final
    return final, clashed


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 3), steps=st.lists(st.tuples(st.integers(0, 2), op), max_size=16), data=st.data())
def test_random_edits_on_copies_converge(n, steps, data):
    import spie_desktop.models.dossier_file as dossier_file

    saved = dossier_file.utcnow
    dossier_file.utcnow = Clock()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            template = registry.find("ami-spie-2021-vague2")
            paths = [work / "r0.spie"]
            with DossierFile.create(paths[0], template, "Essai", author="P0") as base:
                base.add_row("jalons", {"libelle": "Départ"})
                for i in range(1, n):
                    paths.append(make_partner_copy(base, work / f"r{i}.spie", f"P{i}").path)
            dfs = [open_dossier(p, author=f"P{i}") for i, p in enumerate(paths)]
            try:
                for who, step in steps:
                    _apply(dfs, paths, who % n, step)
            finally:
                for df in dfs:
                    df.close()
            orders = list(itertools.permutations(range(n)))
            first = data.draw(st.sampled_from(orders), label="ordre 1")
            second = data.draw(st.sampled_from(orders), label="ordre 2")
            one, clash1 = _gather(work, paths, first, "a")
            two, clash2 = _gather(work, paths, second, "b")
            if not clash1 and not clash2:
                assert one == two
    finally:
        dossier_file.utcnow = saved
