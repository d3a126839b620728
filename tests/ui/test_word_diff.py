"""The conflict dialog's word marks: only what differs, and answers escaped before marking."""

from __future__ import annotations

from spie_desktop.ui.word_diff import MARK_CLOSE, MARK_OPEN, diff_html, diff_words


def test_only_the_differing_words_are_marked():
    left, right = diff_words("Le nord du Val", "Les quartiers prioritaires du Val")
    assert [t for t, marked in left if marked] == ["Le", "nord"]
    assert [t for t, marked in right if marked] == ["Les", "quartiers prioritaires"]
    assert ("du Val", False) in [(t.strip(), m) for t, m in left]


def test_identical_texts_have_no_mark():
    mine, theirs = diff_html("Même texte", "Même texte")
    assert MARK_OPEN not in mine and MARK_OPEN not in theirs


def test_answers_are_escaped_before_the_marks_are_added():
    mine, theirs = diff_html("Tom & Jerry <b>gras</b>", "Tom & Jerry <i>gras</i>")
    assert "<b>" not in mine and "</b>" not in mine and "&lt;" in mine
    assert "&amp;" in mine
    assert MARK_OPEN in theirs and "<i>" not in theirs and "&lt;" in theirs
    assert theirs.count(MARK_OPEN) == theirs.count(MARK_CLOSE)
