"""Render the application icon (resources/icons/app.svg) into the sizes each platform needs.

Writes resources/icons/hicolor/<n>x<n>/spie-desktop.png (Linux, and the window icon),
resources/icons/spie-desktop.ico (Windows, several sizes in one file) and, where Qt can write it,
resources/icons/spie-desktop.icns (macOS). Run after changing app.svg:
    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return img


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - needed for QImage text/SVG rendering
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        print("app.svg illisible", file=sys.stderr)
        return 2
    for size in SIZES:
        out = ICONS / "hicolor" / f"{size}x{size}" / "spie-desktop.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        render(renderer, size).save(str(out))
    formats = {bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats()}
    if "ico" in formats:
        render(renderer, 256).save(str(ICONS / "spie-desktop.ico"))
    if "icns" in formats:
        render(renderer, 512).save(str(ICONS / "spie-desktop.icns"))
    print(
        "icônes écrites :",
        ", ".join(f"{s}px" for s in SIZES),
        "+",
        ", ".join(sorted(formats & {"ico", "icns"})),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
