"""Render the main window on every section of the example dossier into PNG files, to look at them.

    python tools/render_screens.py OUT_DIR [--size 1280x860] [--full] [--scale 1.0]
    python tools/render_screens.py OUT_DIR --tour

``--tour`` renders every section (check panel closed, then open) and every dialog, « Dépôt en
ligne » included, at 1280 × 720, 1366 × 768 and 1920 × 1080 with text at 100 % and 200 %, into
OUT_DIR/<largeur>x<hauteur>-texte-<pour cent>/, and prints what the layout audit finds cut
(nothing, when all is well): the same screens as tests/ui/test_layout_fits.py.

Runs offscreen with throw-away settings (never the user's). Besides one PNG per section it
renders the start screen, the « Vérifier le dossier » dock, the read-only and save-failure
banners; ``--full`` also saves each section's whole form (not only what fits the window).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def window_template(path: Path):
    """The template of a dossier file (read-only, without locking it)."""
    from spie_desktop.models import open_dossier

    with open_dossier(path, read_only=True) as d:
        return d.template


def render_tour(out: Path, work: Path) -> int:
    """Every screen at every size and text scale, with what the layout audit finds cut."""
    from PySide6.QtWidgets import QApplication

    from spie_desktop.interchange import create_example_copy
    from spie_desktop.settings import Settings
    from spie_desktop.ui.layout_audit import audit_window
    from spie_desktop.ui.main_window import MainWindow
    from spie_desktop.ui.screen_tour import TEXT_SCALES, scale_text, sizes_for, tour

    app = QApplication.instance()
    cut = 0
    for scale in TEXT_SCALES:
        scale_text(app, scale)
        window = MainWindow(
            Settings(author_name="Camille Martin", author_organisation="Conseil départemental")
        )
        window.show()
        if not window.open_path(create_example_copy(work / f"exemples-{scale}")):
            print("L'exemple n'a pas pu être ouvert.", file=sys.stderr)
            return 2
        for width, height in sizes_for(scale):
            folder = out / f"{width}x{height}-texte-{round(scale * 100)}"
            folder.mkdir(parents=True, exist_ok=True)
            for name, widget in tour(window, width, height):
                widget.grab().save(str(folder / f"{name}.png"))
                for problem in audit_window(widget, width, height):
                    cut += 1
                    print(f"{folder.name}/{name}: {problem}")
        window.close_dossier()
        window.close()
    print(f"{cut} élément(s) coupé(s) ou hors de la vue.")
    return 1 if cut else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Captures d'écran de la fenêtre sur chaque section de l'exemple."
    )
    parser.add_argument("out", type=Path, help="dossier où écrire les PNG")
    parser.add_argument("--size", default="1280x860", help="taille de la fenêtre, LARGEURxHAUTEUR")
    parser.add_argument("--full", action="store_true", help="enregistrer aussi chaque formulaire en entier")
    parser.add_argument("--scale", default="", help="facteur d'échelle (QT_SCALE_FACTOR), ex. 1.5")
    parser.add_argument(
        "--tour",
        action="store_true",
        help="toutes les sections et tous les dialogues, à 3 tailles d'écran et 2 tailles de texte",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = args.scale
    work = Path(tempfile.mkdtemp(prefix="spie-screens-"))
    os.environ["SPIE_DESKTOP_CONFIG_DIR"] = str(work / "config")
    os.environ["SPIE_DESKTOP_DATA_DIR"] = str(work / "data")

    from PySide6.QtCore import QCoreApplication

    from spie_desktop.app import create_application
    from spie_desktop.interchange import create_example_copy
    from spie_desktop.settings import Settings
    from spie_desktop.ui import dialogs
    from spie_desktop.ui.main_window import MainWindow

    app = create_application(["render_screens"])
    if args.tour:
        return render_tour(args.out, work)
    width, height = (int(v) for v in args.size.lower().split("x"))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(3):
            QCoreApplication.processEvents()

    def save(widget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    settings = Settings(author_name="Camille Martin", author_organisation="Conseil départemental")
    window = MainWindow(settings)
    window.resize(width, height)
    window.show()
    example = create_example_copy(work / "exemples")
    settings.add_recent(example)
    settings.add_recent(work / "deplace.spie")  # a moved file, shown as such
    window.start.refresh()
    save(window, "00-accueil")

    if not window.open_path(example):
        print("L'exemple n'a pas pu être ouvert.", file=sys.stderr)
        return 2
    window.resize(width, height)
    sections = window.controller.template.sections
    for i, section in enumerate(sections, start=1):
        window.show_section(section.id)
        save(window, f"{i:02d}-{section.id}")
        if args.full:
            form = window.current_form()
            inner = form.widget() if hasattr(form, "widget") and form.widget() else form
            inner.resize(
                form.viewport().width() if hasattr(form, "viewport") else inner.width(),
                inner.sizeHint().height(),
            )
            save(inner, f"{i:02d}-{section.id}-entier")

    # the check view, on a dossier with problems: a blank value where the example had one
    c = window.controller
    first = next(f for s in sections for f in s.fields if f.required and f.type.value == "text")
    old = c.value(first.id)
    c.set_value(first.id, "")
    c.recheck()
    window.show_check()
    save(window, f"{len(sections) + 1:02d}-verification")
    items = window.check_view.problem_items()
    if items:
        window.check_view.tree.setCurrentItem(items[0])
        window.check_view._on_item(items[0])
        save(window, f"{len(sections) + 2:02d}-verification-aller-au-champ")
    c.set_value(first.id, old)
    window.check_dock.hide()

    # the save-failure banner, as the user sees it (the message is the controller's own)
    c._failed(
        "L'enregistrement a échoué : le fichier ou le disque est en lecture seule. Vos saisies sont "
        "conservées dans la fenêtre ; utilisez « Enregistrer une copie sous… » pour les mettre à l'abri."
    )
    save(window, f"{len(sections) + 3:02d}-echec-enregistrement")
    c.flush()

    # read-only, locked by someone else
    from spie_desktop.models import open_dossier

    path = c.path
    window.close_dossier()
    other = open_dossier(path, author="Dominique Petit")
    dialogs.ask_lock_choice = lambda parent, exc: dialogs.LockChoice.READ_ONLY
    window.open_path(path)
    window.resize(width, height)
    save(window, f"{len(sections) + 4:02d}-lecture-seule")
    window.close_dossier()
    other.close()

    # a blank dossier: every section still to do, with what remains
    from spie_desktop.models import DossierFile

    blank = work / "vierge.spie"
    DossierFile.create(blank, window_template(example), "Dossier vierge").close()
    window.open_path(blank)
    window.controller.set_value("porteur_siret", "1234")  # a wrong answer: the section is « À corriger »
    window.controller.recheck()
    window.show_section("porteur")
    save(window, f"{len(sections) + 5:02d}-dossier-vierge")
    window.close_dossier()

    # the dialogs of the window, as they open
    from spie_desktop.ui.preferences import PreferencesDialog
    from spie_desktop.ui.shortcuts_dialog import ShortcutsDialog
    from spie_desktop.ui.start_screen import NewDossierDialog

    n = len(sections) + 6
    new = NewDossierDialog(settings, window)
    new.title_edit.setText("Candidature SPIE – Haute-Vallée")
    first_start = PreferencesDialog(settings, window, first_start=True)
    for name, dialog in (
        ("nouveau-dossier", new),
        ("premier-demarrage", first_start),
        ("raccourcis", ShortcutsDialog(window)),
    ):
        dialog.show()
        save(dialog, f"{n:02d}-{name}")
        dialog.close()
        n += 1
    window.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
