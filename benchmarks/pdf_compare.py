"""The PDF's other floors, measured in the same run as its figures: the export's peak memory beside
plain reportlab's (each in a fresh process, growth above what was loaded before the build), and
LibreOffice converting a DOCX of the same texts to PDF (when ``soffice`` is installed)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[4])
from scaled import scaled_document

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024

factor, kind, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
doc = scaled_document(factor)
from spie_desktop.exports.pdf_style import register_fonts
register_fonts()
if kind == "export":
    from spie_desktop.checks import check
    from spie_desktop.exports.pdf import write_pdf
    from spie_desktop.interchange import snapshot_from_document
    import spie_desktop.exports.pdf_story, spie_desktop.exports.pdf_layout
    snap = snapshot_from_document(doc)
    report = check(snap)
    run = lambda: write_pdf(snap, out, report=report)
else:
    from floors import plain_pdf
    import reportlab.platypus
    from pathlib import Path
    run = lambda: plain_pdf(doc, Path(out))
before = rss()
t = time.perf_counter()
run()
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"before": before, "peak": peak, "seconds": seconds}))
"""


def memory(factor: int, tmp: Path) -> dict[str, dict[str, float]]:
    """Peak memory of one export and of the plain-reportlab floor, each alone in a fresh process."""
    out = {}
    for kind in ("export", "floor"):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(factor), kind, str(tmp / f"mem-{kind}.pdf"), str(HERE)],
            capture_output=True,
            text=True,
            check=True,
        )
        out[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def write_docx(texts: list[str], path: Path) -> None:
    """A minimal DOCX (one paragraph per text, DejaVu Sans 10 pt, line breaks kept)."""

    def para(text: str) -> str:
        runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
        return (
            f'<w:p><w:r><w:rPr><w:rFonts w:ascii="DejaVu Sans" w:hAnsi="DejaVu Sans"/><w:sz w:val="20"/>'
            f"</w:rPr>{runs}</w:r></w:p>"
        )

    body = "".join(para(t) for t in texts)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_seconds(doc: dict[str, Any], runs: int, tmp: Path) -> float | None:
    """Median seconds for LibreOffice (headless, its profile already made) to turn a DOCX of the
    document's texts into a PDF, start-up included: what a user converting a DOCX waits for."""
    from floors import document_texts

    program = soffice()
    if program is None:
        return None
    source = tmp / "meme-contenu.docx"
    write_docx(document_texts(doc), source)
    profile = Path(tempfile.mkdtemp(prefix="lo-profil-", dir=tmp))
    cmd = [
        program,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp / "lo"),
        str(source),
    ]
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    took = []
    try:
        subprocess.run(
            cmd, capture_output=True, check=True, env=env, timeout=600
        )  # first start makes the profile
        for _ in range(max(1, runs)):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env=env, timeout=600)
            took.append(time.perf_counter() - t)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"LibreOffice n'a pas converti le DOCX : {exc}", file=sys.stderr)
        return None
    if not (tmp / "lo" / "meme-contenu.pdf").exists():
        return None
    return statistics.median(took)
