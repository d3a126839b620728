"""Link a template to a démarche: match its questions to the démarche's, and store the platform ids.

A démarche's form rewords labels and reorders questions, so a question is matched by its type
(compatible types only), its label (rapidfuzz on accent- and case-folded text) and its position
(the share of the form before it). Each pair is scored 0–100 and taken best first, each question
once: ``MATCHED`` from 80, ``DOUBTFUL`` from 55 (shown to confirm), below that unmatched. A
repetition's children are matched only inside the matched repetition. Nothing is written here:
:func:`linked_template` gives the new form, the caller stores it in the dossier with its history.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

from ..forms import FieldSpec, FieldType, Template
from ..forms.places import fold

MATCHED_FROM = 80.0
DOUBTFUL_FROM = 55.0

#: Types that hold the same answer for the platform (ours → theirs accepted).
_FAMILIES: tuple[frozenset[FieldType], ...] = (
    frozenset({FieldType.TEXT, FieldType.TEXTAREA, FieldType.FORMATTED}),
    frozenset({FieldType.INTEGER_NUMBER, FieldType.DECIMAL_NUMBER, FieldType.NUMBER}),
    frozenset({FieldType.YES_NO, FieldType.CHECKBOX}),
    frozenset({FieldType.DATE, FieldType.DATETIME}),
    frozenset({FieldType.DROP_DOWN_LIST, FieldType.MULTIPLE_DROP_DOWN_LIST}),
    frozenset({FieldType.TEXT, FieldType.ADDRESS}),
)


class Confidence(StrEnum):
    MATCHED = "reliée"
    DOUBTFUL = "douteuse"


@dataclass(frozen=True)
class Pair:
    ours: str  # our field path: "field" or "rep.child"
    ours_label: str
    theirs: str  # the démarche's ds_id
    theirs_label: str
    score: float
    confidence: Confidence
    note: str = ""  # e.g. options that differ


@dataclass
class LinkPlan:
    procedure_number: int | None
    procedure_path: str | None
    host: str
    pairs: list[Pair] = field(default_factory=list)
    unmatched_ours: list[str] = field(default_factory=list)  # labels
    unmatched_theirs: list[str] = field(default_factory=list)

    @property
    def matched(self) -> list[Pair]:
        return [p for p in self.pairs if p.confidence is Confidence.MATCHED]

    @property
    def doubtful(self) -> list[Pair]:
        return [p for p in self.pairs if p.confidence is Confidence.DOUBTFUL]

    def summary(self) -> str:
        return (
            f"{len(self.matched)} question(s) reliée(s), {len(self.doubtful)} douteuse(s) à confirmer, "
            f"{len(self.unmatched_ours)} du modèle sans correspondance, {len(self.unmatched_theirs)} de la "
            "démarche sans correspondance"
        )

    def lines(self) -> list[str]:
        """The matching as a person reads it (command line)."""
        out = [self.summary()]
        for title, pairs in (("Reliées", self.matched), ("Douteuses (à confirmer)", self.doubtful)):
            if pairs:
                out += ["", f"{title} :"]
                out += [
                    f"  « {p.ours_label} » → « {p.theirs_label} » ({p.score:.0f} %)"
                    + (f" — {p.note}" if p.note else "")
                    for p in pairs
                ]
        for title, labels in (
            ("Questions du modèle sans correspondance (à remplir en ligne)", self.unmatched_ours),
            ("Questions de la démarche sans correspondance", self.unmatched_theirs),
        ):
            if labels:
                out += ["", f"{title} :"] + [f"  « {label} »" for label in labels]
        return out


def _compatible(a: FieldType, b: FieldType) -> bool:
    return a is b or any(a in f and b in f for f in _FAMILIES)


def _questions(fields: Iterable[FieldSpec]) -> list[FieldSpec]:
    return [f for f in fields if f.type.holds_answer or f.type.is_online_only]


#: Words forms write for the same thing; folded, each side mapped to the first form.
_SYNONYMS = {
    "courriel": "adresse electronique",
    "mail": "adresse electronique",
    "e mail": "adresse electronique",
    "telephone": "telephone",
    "numero de telephone": "telephone",
    "demarrage": "debut",
    "commencement": "debut",
    "achevement": "fin",
    "terme": "fin",
    "beneficiaires": "allocataires",
    "raison sociale": "nom",
    "denomination": "nom",
    "intitule": "nom",
    "organisme": "structure",
    "porteuse": "porteur",
    "composition": "membres",
    "categorie": "type",
    "subvention demandee": "montant demande",
    "numero siret": "siret",
}
_STOP = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "un",
        "une",
        "sur",
        "pour",
        "par",
        "est",
        "il",
        "elle",
        "ce",
        "cette",
    ]
)


def normalise(label: str) -> str:
    """Folded, synonyms mapped, small words dropped: what is left to compare."""
    text = f" {fold(label)} "
    for word, canonical in _SYNONYMS.items():
        text = text.replace(f" {word} ", f" {canonical} ")
    return " ".join(w for w in text.replace("?", " ").replace(":", " ").split() if w not in _STOP)


def label_similarity(a: str, b: str) -> float:
    """0–100: rapidfuzz's token-set ratio (reordered words) and plain ratio, on normalised labels."""
    na, nb = normalise(a), normalise(b)
    return max(fuzz.token_set_ratio(na, nb) * 0.95, fuzz.ratio(na, nb))


def _score(ours: FieldSpec, i: int, n: int, theirs: FieldSpec, j: int, m: int) -> float:
    if not _compatible(ours.type, theirs.type):
        return 0.0
    label = label_similarity(ours.label, theirs.label)
    position = 100.0 * (1.0 - abs(i / max(n, 1) - j / max(m, 1)))
    same_type = 100.0 if ours.type is theirs.type else 70.0
    return 0.7 * label + 0.15 * position + 0.15 * same_type


def _options_note(ours: FieldSpec, theirs: FieldSpec) -> str:
    if not ours.options or not theirs.options:
        return ""
    missing = [o for o in ours.options if o not in theirs.options]
    if not missing:
        return ""
    return "options absentes de la démarche : " + ", ".join(f"« {o} »" for o in missing)


def _assign(
    ours: list[FieldSpec], theirs: list[FieldSpec], prefix: str, plan: LinkPlan
) -> list[tuple[FieldSpec, FieldSpec]]:
    n, m = len(ours), len(theirs)
    table = {(i, j): _score(a, i, n, b, j, m) for i, a in enumerate(ours) for j, b in enumerate(theirs)}
    scored = sorted(((score, i, j) for (i, j), score in table.items()), reverse=True)
    used_i: set[int] = set()
    used_j: set[int] = set()
    taken: list[tuple[FieldSpec, FieldSpec]] = []
    for score, i, j in scored:
        if score < DOUBTFUL_FROM:
            break
        if i in used_i or j in used_j or not theirs[j].ds_id:
            continue
        used_i.add(i)
        used_j.add(j)
        a, b = ours[i], theirs[j]
        # a near tie with another free question is a doubt, however high the score
        rival = max(
            [table[i, k] for k in range(m) if k != j and k not in used_j]
            + [table[k, j] for k in range(n) if k != i and k not in used_i]
            + [0.0]
        )
        sure = score >= MATCHED_FROM and score - rival >= 5.0
        confidence = Confidence.MATCHED if sure else Confidence.DOUBTFUL
        plan.pairs.append(
            Pair(
                prefix + a.id,
                a.label,
                b.ds_id or "",
                b.label,
                round(score, 1),
                confidence,
                _options_note(a, b),
            )
        )
        taken.append((a, b))
    plan.unmatched_ours += [a.label for i, a in enumerate(ours) if i not in used_i]
    plan.unmatched_theirs += [b.label for j, b in enumerate(theirs) if j not in used_j]
    return taken


def match(template: Template, demarche: Template) -> LinkPlan:
    """Our questions against the démarche's (``demarche`` is the imported schema's template)."""
    p = demarche.platform
    plan = LinkPlan(p.procedure_number, p.procedure_path, p.host)
    ours = _questions(f for _, f in template.iter_fields())
    theirs = _questions(f for _, f in demarche.iter_fields())
    for a, b in _assign(ours, theirs, "", plan):
        if a.is_repetition and b.is_repetition:
            _assign(_questions(a.children), _questions(b.children), a.id + ".", plan)
    order = {id(p): k for k, p in enumerate(plan.pairs)}
    plan.pairs.sort(key=lambda p: (p.confidence is not Confidence.MATCHED, order[id(p)]))
    return plan


def linked_template(
    raw: Mapping[str, Any], plan: LinkPlan, *, accept_doubtful: bool = True
) -> dict[str, Any]:
    """A copy of the template's JSON with the platform ids and the démarche's address set.

    Fields not linked lose any old ``ds_id`` (an id from another démarche would be refused online).
    """
    out = copy.deepcopy(dict(raw))
    ids = {p.ours: p.theirs for p in plan.pairs if accept_doubtful or p.confidence is Confidence.MATCHED}
    for section in out.get("sections", []):
        for f in section.get("fields", []):
            _set_id(f, f.get("id", ""), ids)
            for c in f.get("children", []) or []:
                _set_id(c, f"{f.get('id')}.{c.get('id')}", ids)
    platform = dict(out.get("platform") or {})
    platform.update(
        host=plan.host, procedure_path=plan.procedure_path, procedure_number=plan.procedure_number
    )
    out["platform"] = platform
    base = str(out.get("version", "1")).split("+lien-")[0]
    out["version"] = f"{base}+lien-{plan.procedure_number or plan.procedure_path or 'demarche'}"[:50]
    return out


def _set_id(f: dict[str, Any], path: str, ids: Mapping[str, str]) -> None:
    if path in ids:
        f["ds_id"] = ids[path]
    else:
        f.pop("ds_id", None)
