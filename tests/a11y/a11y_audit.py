"""The checks of the accessibility audit, as pure functions of what the bus gave and what the window shows.

``tree`` is the AT-SPI dump (atspi_dump.py), ``facts`` the window's own account (a11y_driver.py).
Each check returns the French descriptions of what fails; ``figures`` the counts for the README.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

INTERACTIVE = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "text",
        "password text",
        "entry",
        "combo box",
        "spin button",
        "slider",
        "page tab",
        "link",
        "menu item",
        "check menu item",
        "radio menu item",
        "list item",
        "tree item",
        "table cell",
    }
)
INPUTS = frozenset({"text", "entry", "combo box", "spin button", "password text"})


def nodes(tree: dict) -> Iterator[dict]:
    yield tree
    for child in tree.get("children", ()):
        yield from nodes(child)


def showing(node: dict) -> bool:
    return "showing" in node.get("states", ())


def fold(text: str) -> str:
    """Compare texts as a listener would: without markup, mnemonics, case, repeated spaces, nor the
    signs that are drawn rather than said (arrows, ellipsis, check marks)."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = "".join(" " if unicodedata.category(c) in ("Sm", "So") or c == "…" else c for c in text)
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ").replace("\u202f", " ").replace("&", "")
    text = re.sub(
        r"\s\*$", "", text.strip()
    )  # the visible « * » of a required field is said as « obligatoire »
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split())


def says(text: str, spoken: str) -> bool:
    """``spoken`` holds the words of ``text`` as whole words (« suivant » is not in « Section suivante »)."""
    text, spoken = fold(text), fold(spoken)
    return bool(re.search(rf"(?<!\w){re.escape(text)}(?!\w)", spoken)) if text else True


def _same_rect(a: list[int], b: list[int], slack: int = 2) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def _node_at(tree: dict, rect: list[int], roles: frozenset[str] | None = None) -> dict | None:
    for n in nodes(tree):
        if (
            "extents" in n
            and showing(n)
            and (roles is None or n["role"] in roles)
            and _same_rect(n["extents"], rect)
        ):
            return n
    return None


def unnamed_interactive(tree: dict) -> list[str]:
    return [
        f"{n['role']} sans nom ({n.get('text', '')[:40]!r})"
        for n in nodes(tree)
        if n["role"] in INTERACTIVE and showing(n) and not n["name"].strip()
    ]


def unreadable_texts(tree: dict, facts: dict) -> list[str]:
    """Visible texts (answers, statuses, messages, labels) that no node of the tree carries."""
    spoken = [fold(" ".join((n["name"], n["description"], n.get("text", "")))) for n in nodes(tree)]
    heard = "\n".join(spoken)
    missing = []
    for label in facts["labels"]:
        text = fold(label["text"])
        if text and text not in heard:
            missing.append(f"texte affiché illisible : {label['text'][:80]!r}")
    return missing


def names_without_visible_text(tree: dict, facts: dict) -> list[str]:
    """WCAG 2.5.3: a button's (or a tab's) spoken name contains the words written on it."""
    out = []
    for button in facts["buttons"] + facts.get("tabs", []):
        node = _node_at(tree, button["rect"], INTERACTIVE)
        if node is None:
            continue
        if not says(button["text"], node["name"]):
            out.append(f"« {button['text']} » est annoncé « {node['name']} »")
    return out


def shown_text_not_in_its_object(tree: dict, facts: dict) -> list[str]:
    """A status, an answer or a label on screen: the object at its place says it in its name or
    description (a fixed name such as « État de l'enregistrement » hides « Enregistré »)."""
    out = []
    for label in facts["labels"]:
        text = fold(label["text"])
        node = _node_at(tree, label["rect"])
        if not text or node is None or node["role"] in INPUTS:  # a text box is read through its text
            continue
        if not says(label["text"], f"{node['name']} {node['description']}"):
            out.append(f"« {label['text'][:60]} » est annoncé « {node['name'][:60]} »")
    return out


READING_ROLES = frozenset({"label", "static", "text", "paragraph", "heading"})


def answers_not_read(tree: dict, facts: dict) -> list[str]:
    """« Dépôt en ligne »: every answer (or « Non renseigné — question obligatoire ») is the name or the
    text of an object a screen reader reads, not only a button's description."""
    read = "\n".join(
        fold(f"{n['name']} {n.get('text', '')}") for n in nodes(tree) if n["role"] in READING_ROLES
    )
    out = []
    for answer in facts.get("answers", []):
        text = fold(answer["text"])[:200]
        if text and text not in read:
            out.append(
                f"« {answer['question'][:50]} » : réponse « {answer['text'][:40]} » absente de l'arbre"
            )
    return out


def stale_after_navigation(tree: dict, facts: dict) -> list[str]:
    """After changing section (or copying an answer), what the window says now is what the tree says:
    Précédent / Suivant name the section they go to."""
    out = []
    for expected in facts.get("current", []):
        node = _node_at(tree, expected["rect"], INTERACTIVE)
        if node is None:
            out.append(f"« {expected['text']} » : aucun objet à sa place dans l'arbre")
        elif fold(expected["text"]) not in fold(f"{node['name']} {node['description']}"):
            out.append(f"« {node['name']} » ne dit pas « {expected['text']} »")
    return out


def required_not_said(tree: dict, facts: dict) -> list[str]:
    """A required input says so first (« Obligatoire. … »), an invalid one what to correct, before the help."""
    out = []
    for field in facts["required"]:
        node = _node_at(tree, field["rect"], INPUTS)
        if node is None:
            continue
        said = "required" in node["states"] or fold(node["description"]).startswith("obligatoire")
        if not said:
            out.append(f"« {field['label'][:60]} » : obligatoire non annoncé en tête de description")
    for field in facts.get("invalid", []):
        node = _node_at(tree, field["rect"], INPUTS)
        if node is None:
            continue
        head = fold(node["description"]).removeprefix("obligatoire.").strip()
        if "invalid" not in node["states"] and not head.startswith(("à corriger", "à vérifier")):
            out.append(f"« {field['label'][:60]} » : le problème n'est pas annoncé en tête de description")
    return out


@dataclass(frozen=True)
class Inversion:
    before: str
    after: str


def _backwards(a: list[int], b: list[int], slack: int) -> bool:
    ax, ay, _aw, ah = a
    bx, by, _bw, _bh = b
    same_line = by < ay + ah - slack and by + slack > ay - ah
    return (by + slack < ay and not same_line) or (same_line and bx + slack < ax)


def tab_order_inversions(facts: dict, slack: int = 8) -> list[str]:
    """Tab follows the reading order: within a region (the window, a column of a splitter, a panel, a
    scrolled form, a tab's page) top to bottom, then left to right within a line; a region is gone
    through in one visit, as one block among its neighbours. ``focus_chain`` is the whole cycle of
    the window from its first stop; each stop carries its regions, outermost first, as [id, rect]."""
    chain = facts["focus_chain"]
    items: dict[
        str, list[tuple[str, list[int], str]]
    ] = {}  # region → its stops and sub-regions, in Tab order
    closed: set[str] = set()
    out = []
    for stop in chain:
        label = stop["name"] or stop["class"]
        regions = stop.get("regions") or [["fenêtre", [0, 0, 0, 0], "fenêtre"]]
        for depth, (rid, _rect, _rname) in enumerate(regions):
            entry = (
                (regions[depth + 1][0], regions[depth + 1][1], regions[depth + 1][2])
                if depth + 1 < len(regions)
                else (f"stop:{id(stop)}", stop["rect"], label)
            )
            seq = items.setdefault(rid, [])
            if seq and seq[-1][0] == entry[0]:
                continue
            if entry[0] in closed:
                out.append(f"Tab revient dans « {entry[2]} » après l'avoir quitté (à « {label} »)")
            if seq and not seq[-1][0].startswith("stop:"):
                closed.add(seq[-1][0])
            seq.append(entry)
    for seq in items.values():
        for (_ia, ra, na), (_ib, rb, nb) in pairwise(seq):
            if _backwards(ra, rb, slack):
                out.append(f"Tab de « {na} » revient à « {nb} »")
    return out


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast(facts: dict, minimum: float = 4.5) -> list[str]:
    return [
        f"{what} : {fg} sur {bg} = {contrast(fg, bg):.2f}:1"
        for what, (fg, bg) in facts["colours"].items()
        if contrast(fg, bg) < minimum
    ]


def figures(tree: dict) -> dict[str, float]:
    all_nodes = list(nodes(tree))
    interactive = [n for n in all_nodes if n["role"] in INTERACTIVE and showing(n)]
    named = [n for n in interactive if n["name"].strip()]
    described = [n for n in interactive if n["description"].strip()]
    return {
        "objets": len(all_nodes),
        "interactifs": len(interactive),
        "nommés %": 100 * len(named) / max(1, len(interactive)),
        "décrits %": 100 * len(described) / max(1, len(interactive)),
    }
