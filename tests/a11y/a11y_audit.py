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

INTERACTIVE = frozenset({
    "push button", "toggle button", "check box", "radio button", "text", "password text", "entry",
    "combo box", "spin button", "slider", "page tab", "link", "menu item", "check menu item",
    "radio menu item", "list item", "tree item", "table cell",
})
INPUTS = frozenset({"text", "entry", "combo box", "spin button", "password text"})


def nodes(tree: dict) -> Iterator[dict]:
    yield tree
    for child in tree.get("children", ()):
        yield from nodes(child)


def showing(node: dict) -> bool:
    return "showing" in node.get("states", ())


def fold(text: str) -> str:
    """Compare texts as a listener would: without markup, mnemonics, case or repeated spaces."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("\u00a0", " ").replace("\u202f", " ").replace("&", "")
    text = re.sub(r"\s\*$", "", text.strip())  # the visible « * » of a required field is said as « obligatoire »
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split())


def _same_rect(a: list[int], b: list[int], slack: int = 2) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def _node_at(tree: dict, rect: list[int], roles: frozenset[str] | None = None) -> dict | None:
    for n in nodes(tree):
        if "extents" in n and showing(n) and (roles is None or n["role"] in roles) and _same_rect(n["extents"], rect):
            return n
    return None


def unnamed_interactive(tree: dict) -> list[str]:
    return [f"{n['role']} sans nom ({n.get('text', '')[:40]!r})" for n in nodes(tree)
            if n["role"] in INTERACTIVE and showing(n) and not n["name"].strip()]


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
    """WCAG 2.5.3: a button's spoken name contains the words written on it."""
    out = []
    for button in facts["buttons"]:
        node = _node_at(tree, button["rect"], INTERACTIVE)
        if node is None:
            continue
        if fold(button["text"]) not in fold(node["name"]):
            out.append(f"« {button['text']} » est annoncé « {node['name']} »")
    return out


def required_not_said(tree: dict, facts: dict) -> list[str]:
    out = []
    for field in facts["required"]:
        node = _node_at(tree, field["rect"], INPUTS)
        if node is None:
            continue
        said = "required" in node["states"] or fold(node["description"]).startswith("obligatoire")
        if not said:
            out.append(f"« {field['label'][:60]} » : obligatoire non annoncé en tête de description")
    return out


@dataclass(frozen=True)
class Inversion:
    before: str
    after: str


def tab_order_inversions(facts: dict, slack: int = 8) -> list[str]:
    """Tab goes top to bottom, then left to right within a line (widgets overlapping vertically)."""
    chain = facts["focus_chain"]
    out = []
    for a, b in pairwise(chain):
        ax, ay, _aw, ah = a["rect"]
        bx, by, _bw, _bh = b["rect"]
        same_line = by < ay + ah - slack and by + slack > ay - ah
        backwards = (by + slack < ay and not same_line) or (same_line and bx + slack < ax)
        if backwards:
            out.append(f"Tab de « {a['name'] or a['class']} » revient à « {b['name'] or b['class']} »")
    return out


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast(facts: dict, minimum: float = 4.5) -> list[str]:
    return [f"{what} : {fg} sur {bg} = {contrast(fg, bg):.2f}:1" for what, (fg, bg) in facts["colours"].items()
            if contrast(fg, bg) < minimum]


def figures(tree: dict) -> dict[str, float]:
    all_nodes = list(nodes(tree))
    interactive = [n for n in all_nodes if n["role"] in INTERACTIVE and showing(n)]
    named = [n for n in interactive if n["name"].strip()]
    described = [n for n in interactive if n["description"].strip()]
    return {"objets": len(all_nodes), "interactifs": len(interactive),
            "nommés %": 100 * len(named) / max(1, len(interactive)),
            "décrits %": 100 * len(described) / max(1, len(interactive))}
