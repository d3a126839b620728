"""The review copy's content as Platypus flowables: cover, contents, sections, files, annex."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from ..checks.report import CompletenessReport, Problem
from ..formatting import format_datetime, format_integer, format_size
from ..forms import FieldSpec, FieldType, Section
from ..presentation import character_count, plural
from ..snapshot import CommentInfo, DossierSnapshot
from . import ExportCancelled
from .pdf_deferred import Contents, Deferred
from .pdf_plain import para
from .pdf_repetition import RepetitionRenderer
from .pdf_style import (
    ACCENT,
    MISSING,
    OK,
    REQUIRED_MARK,
    RULE,
    ZEBRA,
    Para,
    capped,
    clean,
    markup,
    paragraphs,
    safe_breaks,
    styles,
)
from .text import (
    NOT_ANSWERED,
    answer_text,
    applicant_name,
    attachments_to_upload,
    demarche_url,
    territory,
    visible_fields,
)

HASH_SHOWN = 16  # hex digits of the SHA-256 printed: enough to compare by eye, on one line
COVER_MAX_CHARS = 400  # the cover is one page: longer values are shortened there (they appear in full inside)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class Heading(Para):
    """A heading that becomes a PDF bookmark (and, at level 0, a contents entry)."""

    keep_with_next = True

    def __init__(self, text: str, style: Any, level: int, key: str) -> None:
        super().__init__(markup(capped(text, 600)), style)
        self.toc_entry = (level, clean(capped(text, 600)).replace("\n", " "), key)


def kept(flowable: Flowable) -> Flowable:
    """``flowable`` (a label, a help text) stays on the page of what follows it."""
    flowable.keep_with_next = True
    return flowable


#: Above this much room left on the page, a heading and the start of its content are laid out in
#: place (the content continues on the next page); below it they move to the next page together.
KEEP_MAX_HEIGHT = 6 * cm


def keep_headings(story: list[Flowable]) -> list[Flowable]:
    """Each run of headings, labels and help texts is kept with the first flowable of content after
    it, so that a heading is never the last line of a page."""
    out: list[Flowable] = []
    pending: list[Flowable] = []
    for f in story:
        if getattr(f, "keep_with_next", False) or (pending and isinstance(f, (Spacer, CondPageBreak))):
            if not pending and isinstance(f, CondPageBreak):
                out.append(f)
            else:
                pending.append(f)
            continue
        if pending:
            breaks = [x for x in pending if isinstance(x, CondPageBreak)]
            out += breaks[:1]  # the first page-break condition still applies before the group
            group = [x for x in pending if not isinstance(x, CondPageBreak)]
            out.append(KeepTogether(group + [f], maxHeight=KEEP_MAX_HEIGHT))
            pending = []
        else:
            out.append(f)
    return out + pending


def contents_entries(story: list[Flowable]) -> list[tuple[int, str, str]]:
    """(level, markup, key) of the story's level-0 headings but the contents' own, in order."""
    out: list[tuple[int, str, str]] = []
    for f in story:
        if isinstance(f, KeepTogether):
            out += contents_entries(f._content)
        elif isinstance(f, Heading) and f.toc_entry[0] == 0 and f.toc_entry[2] != "sommaire":
            out.append((0, markup(f.toc_entry[1]), f.toc_entry[2]))
    return out


class StoryBuilder:
    def __init__(
        self,
        snapshot: DossierSnapshot,
        report: CompletenessReport | None,
        *,
        width: float,
        include_comments: bool,
        cancel: Callable[[], bool] | None,
        export_time: str,
        deferred: Deferred | None = None,
    ) -> None:
        self.s = snapshot
        self.deferred = deferred or Deferred()
        self.report = report
        self.width = width
        self.st = styles()
        self.cancel = cancel
        self.export_time = export_time
        self.comments: dict[str, list[CommentInfo]] = defaultdict(list)
        if include_comments:
            for c in snapshot.comments:
                self.comments[c.path].append(c)
        self.include_comments = include_comments
        self.problems: dict[str, list[Problem]] = defaultdict(list)
        for p in report.problems if report else ():
            self.problems[p.path].append(p)
        self._ticks = 0
        self.repetitions = RepetitionRenderer(self)  # tables and cards of repeated rows

    def tick(self) -> None:
        self._ticks += 1
        if self.cancel is not None and self._ticks % 25 == 0 and self.cancel():
            raise ExportCancelled()

    # -- whole document ------------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        story: list[Flowable] = self.cover()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.contents()
        for section in self.s.template.sections:
            story += keep_headings(self.section(section))
        story += self.files()
        if self.include_comments:
            story += self.general_comments()
        story += self.annex()
        self.toc.set_entries(contents_entries(story))
        return story

    def cover(self) -> list[Flowable]:
        st, s, t = self.st, self.s, self.s.template
        out: list[Flowable] = [
            para("COPIE DE RELECTURE", st["cover_kicker"]),
            para(markup(t.title), st["cover_call"]),
            para(markup(_shorten(s.info.title or "Dossier sans titre", COVER_MAX_CHARS)), st["cover_title"]),
        ]
        state, color = self.state_text()
        rows = [
            ("Porteur", applicant_name(s) or "Non renseigné"),
            ("Territoire", territory(s) or "Non renseigné"),
            ("Exporté le", self.export_time),
            ("Modifications enregistrées", format_integer(s.change_count)),
            ("État du dossier", state),
        ]
        if self.report is not None:
            r = self.report
            pct = round(r.progress * 100)
            rows.append(
                (
                    "Réponses obligatoires",
                    f"{format_integer(r.answered)} / {format_integer(r.required)} ({pct} %)",
                )
            )
        rows.append(("Modèle de formulaire", f"{t.id}, version {t.version}"))
        url = demarche_url(t)
        if url:
            rows.append(("Démarche en ligne", url))
        data = []
        for key, value in rows:
            style = st["cover_value"]
            text = markup(_shorten(value, COVER_MAX_CHARS))
            if key == "État du dossier":
                text = f'<font color="{color}"><b>{text}</b></font>'
            data.append([para(markup(key), st["cover_key"]), para(text, style)])  # values ≤ COVER_MAX_CHARS
        table = Table(data, colWidths=[5.2 * cm, self.width - 5.2 * cm])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(table)
        host = t.platform.host
        out.append(
            para(
                "Cette copie sert à relire et à annoter le dossier ; elle ne remplace pas le dépôt, qui se fait "
                f"en ligne sur {markup(host)}. Les questions marquées d'un astérisque (*) sont obligatoires ; "
                f"une réponse obligatoire manquante apparaît en rouge : « {NOT_ANSWERED} ».",
                st["cover_note"],
            )
        )
        return out

    def state_text(self) -> tuple[str, str]:
        r = self.report
        if r is None:
            return "Non vérifié : le contrôle de complétude n'a pas pu être fait", "#" + MISSING.hexval()[2:]
        warn = f", {plural(len(r.warnings), 'avertissement')}" if r.warnings else ""
        if r.can_file:
            return f"Prêt à être déposé : aucun point bloquant{warn}", "#" + OK.hexval()[2:]
        return (
            f"À compléter avant le dépôt : {plural(len(r.blocking), 'point bloquant', 'points bloquants')}{warn}",
            "#" + MISSING.hexval()[2:],
        )

    def contents(self) -> list[Flowable]:
        self.toc = toc = Contents(self.deferred, dotsMinLevel=0)
        toc.levelStyles = [self.st["toc0"], self.st["toc1"]]
        return [Heading("Sommaire", self.st["h1"], 0, "sommaire"), Spacer(1, 4), toc, PageBreak()]

    # -- sections ------------------------------------------------------------------------------

    def section(self, section: Section) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = [CondPageBreak(5 * cm), Heading(section.title, st["h1"], 0, f"s-{section.id}")]
        if section.description:
            out += [kept(para(p, st["help"])) for p in paragraphs(section.description)]
        partner = self.s.entrusted.get(section.id)
        if partner:
            out.append(kept(para(f"Section confiée à : {markup(capped(partner, 300))}", st["note"])))
        for spec in visible_fields(self.s, section):
            self.tick()
            out += self.field(spec)
        return out

    def field(self, spec: FieldSpec) -> list[Flowable]:
        st = self.st
        if spec.type is FieldType.HEADER_SECTION:
            style = st["h2"] if spec.level <= 2 else st["h3"]
            out: list[Flowable] = [CondPageBreak(4 * cm), Heading(spec.label, style, 1, f"h-{spec.id}")]
            if spec.description:
                out += [kept(para(p, st["help"])) for p in paragraphs(spec.description)]
            return out
        if spec.type is FieldType.EXPLICATION:
            out = [
                kept(para(markup(capped(spec.label, 600)), st["note"]))
            ]  # an explanation introduces what follows
            out += (
                [kept(para(p, st["help"])) for p in paragraphs(spec.description)] if spec.description else []
            )
            return out
        out = self.label(spec, st["label"])
        if spec.is_repetition:
            out += self.repetitions.repetition(spec)
        else:
            out += self.answer(spec, self.s.answers.get(spec.id), spec.id, indent=False)
        out += self.notes_for(spec.id)
        return out

    def label(self, spec: FieldSpec, style: Any) -> list[Flowable]:
        text = markup(spec.label) + (REQUIRED_MARK if spec.required else "")
        head = kept(para(text, style))
        head.field_label = spec.label  # named in the message if its answer cannot be laid out
        out: list[Flowable] = [CondPageBreak(3.2 * cm if spec.is_repetition else 2.4 * cm), head]
        if spec.description:
            help_style = self.st["help"]
            out += [kept(para(p, help_style)) for p in paragraphs(spec.description)]
        return out

    def answer(self, spec: FieldSpec, value: Any, path: str, *, indent: bool) -> list[Flowable]:
        st = self.st
        text = answer_text(self.s, spec, value, path)
        if text is None:
            if spec.required:
                return [para(NOT_ANSWERED, st["missing"])]
            return [para("—", st["empty"])]
        style = st["row_answer"] if indent else st["answer"]
        out: list[Flowable] = [
            para(p, style) for p in paragraphs(text, self.width - style.leftIndent, style.fontSize)
        ]
        if spec.type is FieldType.TEXTAREA and isinstance(value, str):
            count = character_count(value, spec.character_limit)
            label, over = count.text(how_counted=True), count.over
            out.append(para(markup(label), st["meta_over" if over else ("row_meta" if indent else "meta")]))
        return out

    def notes_for(self, path: str) -> list[Flowable]:
        out: list[Flowable] = []
        for p in self.problems.get(path, ()):
            mark = "Bloquant" if p.blocking else "Avertissement"
            out.append(para(f"<b>{mark} :</b> {markup(p.message)}", self.st["problem"]))
        for c in self.comments.get(path, ()):
            out.append(self.comment(c))
        return out

    def comment(self, c: CommentInfo) -> Flowable:
        who = c.author + (f" ({c.organisation})" if c.organisation else "")
        when = format_datetime(c.created_at)
        status = " — résolu" if c.resolved else ""
        head = f"<b>Commentaire de {markup(who)}</b>, le {markup(when)}{status} :"
        return para(head + "<br/>" + markup(c.text), self.st["comment"])

    # -- files, comments, annex ----------------------------------------------------------------

    def files(self) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = [
            CondPageBreak(5 * cm),
            Heading("Pièces jointes", st["h1"], 0, "pieces-jointes"),
        ]
        items = attachments_to_upload(self.s)
        if not items:
            return out + [para("Aucune pièce jointe n'est enregistrée dans le dossier.", st["empty"])]
        out.append(
            para(
                "Fichiers enregistrés dans le dossier, à déposer en ligne un par un. "
                "Le début de l'empreinte SHA-256 permet de vérifier qu'il s'agit bien du même fichier.",
                st["help"],
            )
        )
        data = [[para(h, st["cell_head"]) for h in ("Question", "Fichier", "Taille", "SHA-256")]]
        pad = 12  # the table's default left and right cell padding
        hash_style = st["cell_hash"]
        sha_w = stringWidth("0" * HASH_SHOWN + "…", hash_style.fontName, hash_style.fontSize) + pad + 2
        size_w = 1.8 * cm
        rest = self.width - size_w - sha_w
        label_w, name_w = rest * 0.48, rest * 0.52
        for label, a in items:
            digest = a.sha256[:HASH_SHOWN] + ("…" if len(a.sha256) > HASH_SHOWN else "")
            data.append(
                [
                    para(markup(safe_breaks(capped(label, 600), label_w - pad)), st["cell_name"]),
                    para(markup(safe_breaks(capped(a.name, 300), name_w - pad)), st["cell_name"]),
                    para(markup(format_size(a.size)), st["cell_num"]),
                    para(markup(digest), hash_style),
                ]
            )
        table = Table(data, colWidths=[label_w, name_w, size_w, sha_w], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ]
                + [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
            )
        )
        return out + [Spacer(1, 4), table]

    def general_comments(self) -> list[Flowable]:
        general = self.comments.get("", [])
        if not general:
            return []
        out: list[Flowable] = [
            CondPageBreak(4 * cm),
            Heading("Commentaires sur l'ensemble du dossier", self.st["h1"], 0, "commentaires"),
        ]
        return out + [self.comment(c) for c in general]

    def annex(self) -> list[Flowable]:
        st = self.st
        out: list[Flowable] = [PageBreak(), Heading("Annexe — rapport de complétude", st["h1"], 0, "annexe")]
        r = self.report
        if r is None:
            return out + [
                para("Le contrôle de complétude n'était pas disponible lors de cet export.", st["empty"])
            ]
        state, color = self.state_text()
        out.append(para(f'<font color="{color}"><b>{markup(state)}</b></font>', st["base"]))
        out.append(Spacer(1, 6))
        head = ["Section", "État", "Réponses obligatoires", "Bloquants", "Avertissements"]
        data = [[para(h, st["cell_head"]) for h in head]]
        for sp in r.sections:
            data.append(
                [
                    para(markup(capped(sp.title, 300)), st["cell"]),
                    para(markup(sp.state.label), st["cell"]),
                    para(f"{sp.answered} / {sp.required}", st["cell_num"]),
                    para(str(sp.blocking), st["cell_num"]),
                    para(str(sp.warnings), st["cell_num"]),
                ]
            )
        w = self.width
        table = Table(
            data, colWidths=[w * 0.33, w * 0.15, w * 0.19, w * 0.13, w * 0.20], repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        out.append(table)
        for title, problems in (("Points bloquants", r.blocking), ("Avertissements", r.warnings)):
            out.append(para(f"{title} ({len(problems)})", st["h2"]))
            if not problems:
                out.append(para("Aucun.", st["empty"]))
                continue
            data = [[para(h, st["cell_head"]) for h in ("Section", "Question", "À faire")]]
            for p in problems:
                where = markup(capped(p.field_label or "Ensemble du dossier", 600))
                if p.row_index is not None:
                    where += f" (ligne {p.row_index + 1})"
                data.append(
                    [
                        para(markup(capped(self.section_title(p.section_id), 300)), st["cell"]),
                        para(where, st["cell"]),
                        para(markup(capped(p.message)), st["cell"]),
                    ]
                )
            t = Table(data, colWidths=[w * 0.22, w * 0.3, w * 0.48], repeatRows=1, hAlign="LEFT")
            t.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                    + [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
                )
            )
            out.append(t)
        return out

    def section_title(self, section_id: str) -> str:
        try:
            return self.s.template.section(section_id).title
        except KeyError:
            return section_id or "—"
