"""« Ouvrir » and « Enregistrer les fichiers » on a received dossier's attachments: the OS opener is
stubbed (``open_externally``), so these tests show what would have been handed to it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from spie_desktop.ui import dialogs, filing_view
from spie_desktop.ui.fields import attachment as attachment_module

PDF = b"%PDF-1.7\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if not w.isHidden()]


@pytest.fixture
def opened(monkeypatch):
    calls: list = []
    monkeypatch.setattr(attachment_module, "open_externally", lambda p: calls.append(p) or True)
    monkeypatch.setattr(
        attachment_module,
        "ask_save_attachment",
        lambda parent, suggested: pytest.fail(f"enregistrement inattendu : {suggested}"),
    )
    return calls


@pytest.mark.parametrize("name", ["facture\u202efdp.exe", "x.pdf      .bat", "RIB.pdf.lnk", "x.desktop"])
def test_a_program_or_shortcut_is_saved_where_the_user_chooses_never_opened(
    ui, controller_all, opened, monkeypatch, tmp_path, name
):
    controller_all.dossier.add_attachment("piece", PDF, name=name, media_type="application/pdf")
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    shown = [t for t in texts(field) if t.startswith(("facture", "x.", "RIB"))]
    assert shown and "\u202e" not in shown[0] and "  " not in shown[0]
    target = tmp_path / "enregistre.bin"
    asked: list = []
    monkeypatch.setattr(
        attachment_module,
        "ask_save_attachment",
        lambda parent, suggested: asked.append(suggested) or str(target),
    )
    [info] = controller_all.attachments("piece")
    field.open(info.id, info.name)
    assert opened == []  # never handed to the system
    assert asked and "\u202e" not in asked[0] and target.read_bytes() == PDF
    words = " ".join(texts(field))
    assert "n'est pas ouvert" in words and "Enregistré (sans l'ouvrir)" in words


def test_the_type_shown_comes_from_the_bytes_and_the_viewer_follows_them(ui, controller_all, opened):
    controller_all.dossier.add_attachment("piece", PNG, name="rib.pdf", media_type="application/pdf")
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    words = texts(field)
    assert "image PNG" in words
    assert any("le contenu est une image PNG" in t for t in words)
    [info] = controller_all.attachments("piece")
    field.open(info.id, info.name)
    assert [p.name for p in opened] == ["rib.pdf.png"] and opened[0].read_bytes() == PNG


def test_no_viewer_installed_is_said_in_french(ui, controller_all, monkeypatch):
    monkeypatch.setattr(attachment_module, "viewer_available", lambda path: False)
    monkeypatch.setattr(
        attachment_module.QDesktopServices,
        "openUrl",
        staticmethod(lambda url: pytest.fail("ouvert malgré l'absence de visionneuse")),
    )
    controller_all.dossier.add_attachment("piece", PDF, name="rib.pdf", media_type="application/pdf")
    form = ui.show_form(controller_all, "tout")
    field = form.fields["piece"]
    [info] = controller_all.attachments("piece")
    field.open(info.id, info.name)
    words = " ".join(texts(field))
    assert "Aucune application installée sur cet ordinateur n'ouvre un document PDF" in words


def test_saving_every_attachment_cleans_names_and_reports_failures_at_the_end(
    qtbot, controller_all, monkeypatch, tmp_path
):
    d = controller_all.dossier
    for name in ("../../evil.pdf", "a\x00b.pdf", "..", "facture\u202efdp.exe", "rib.pdf"):
        d.add_attachment("piece", PDF, name=name, media_type="application/pdf")
    out = tmp_path / "pieces"
    out.mkdir()
    from spie_desktop import attachment_safety

    real_write = attachment_safety.atomic_write_bytes

    def write(path, data):
        if path.name == "ab.pdf":
            raise OSError(28, "No space left on device")  # ENOSPC: that file fails, the others are written
        real_write(path, data)

    monkeypatch.setattr(attachment_safety, "atomic_write_bytes", write)
    view = filing_view.FilingView(controller_all)
    qtbot.addWidget(view)
    monkeypatch.setattr(filing_view, "ask_folder", lambda parent, directory="": str(out))
    errors: list = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": errors.append((title, text)))
    written = view.save_attachments()
    assert sorted(p.name for p in written) == sorted(["_._evil.pdf", "piece-3", "facturefdp.exe", "rib.pdf"])
    assert not (tmp_path / "evil.pdf").exists() and all(
        p.parent == out and p.read_bytes() == PDF for p in written
    )
    [(title, text)] = errors
    assert "n'ont pas pu être enregistrées" in title
    assert "« ab.pdf » : le disque est plein" in text and "No space" not in text
    assert "4 fichiers enregistrés" in text and "ne les ouvrez pas" in text
