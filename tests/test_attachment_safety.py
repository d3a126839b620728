"""Attachment names and types from a received dossier: cleaned, sniffed, never run, always saved."""

from __future__ import annotations

import errno
import io
import zipfile

import pytest

from spie_desktop.attachment_safety import (
    EXECUTABLE_EXTENSIONS,
    clean_name,
    is_executable_name,
    mismatch_note,
    open_plan,
    save_all,
    sniff,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("facture\u202efdp.exe", "facturefdp.exe"),  # shows as « facturexe.pdf »
        ("x.pdf      .bat", "x.pdf.bat"),
        ("x.pdf\u00a0\u00a0\u00a0.bat", "x.pdf.bat"),
        ("RIB.pdf.lnk", "RIB.pdf.lnk"),
        ("../../.bashrc", "_._.bashrc"),
        ("..", "piece-jointe"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("dossier\\rib.pdf", "dossier_rib.pdf"),
        ("x.bat. . .", "x.bat"),
        ("\u200bcachée\u2066.pdf", "cachée.pdf"),
        ("CON.txt", "_CON.txt"),
        ("", "piece-jointe"),
        ("Lettre d'engagement signée.pdf", "Lettre d'engagement signée.pdf"),
    ],
)
def test_names_lose_invisible_characters_separators_and_padding(raw, cleaned):
    assert clean_name(raw) == cleaned


def test_a_long_name_keeps_its_extension():
    name = clean_name("a" * 400 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf")


@pytest.mark.parametrize(
    "name",
    [
        "facture\u202efdp.exe",
        "x.pdf      .bat",
        "RIB.pdf.lnk",
        "x.desktop",
        "a.CMD",
        "b.Com",
        "c.scr",
        "d.msi",
        "e.url",
        "f.js",
        "g.vbs",
        "h.ps1",
        "i.jar",
        "j.sh",
        "k.app",
        "l.pif",
        "m.hta",
        "n.wsf",
        "o.jse",
        "p.vbe",
        "q.reg",
        "r.cpl",
        "s.msc",
        "t.AppImage",
        "u.run",
        "v.command",
        "w.scf",
        "x.inf",
        "y.psm1",
        "z.gadget",
        "trailing.exe. ",
        "trailing.bat...",
    ],
)
def test_programs_and_shortcuts_are_never_opened(name):
    assert is_executable_name(name)
    plan = open_plan(name, PDF)
    assert not plan.safe and "n'est pas ouvert" in plan.warning and "enregistré" in plan.warning


def test_the_required_extensions_are_all_listed():
    required = [
        "exe",
        "bat",
        "cmd",
        "com",
        "scr",
        "msi",
        "lnk",
        "url",
        "desktop",
        "js",
        "vbs",
        "ps1",
        "jar",
        "sh",
        "app",
    ]
    assert set(required) <= EXECUTABLE_EXTENSIONS


@pytest.mark.parametrize("name", ["rib.pdf", "photo.JPG", "budget.xlsx", "notes.txt", "sans extension"])
def test_documents_are_opened(name):
    assert not is_executable_name(name)


def test_a_program_behind_a_document_name_is_not_opened():
    plan = open_plan("rib.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    assert not plan.safe and "programme Windows" in plan.warning
    assert not open_plan("lisez-moi.txt", b"#!/bin/sh\nrm -rf ~\n").safe
    assert not open_plan("photo.png", b"\x7fELF\x02\x01\x01").safe


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (
            zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            zip_bytes({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "application/vnd.oasis.opendocument.text",
        ),
        (zip_bytes({"a.txt": b"a"}), "application/zip"),
        ("Bonjour, voici le budget : 12 000 €\n".encode(), "text/plain"),
        (b"\x00\x01\x02\xff\xfe", "application/octet-stream"),
        (b"PK\x03\x04 not really a zip", "application/zip"),
    ],
)
def test_the_type_comes_from_the_bytes(data, media_type):
    assert sniff(data).media_type == media_type


def test_a_stored_type_or_a_name_that_disagrees_with_the_bytes_is_told():
    assert "le contenu est une archive ZIP" in mismatch_note(
        "rib.pdf", "application/pdf", sniff(zip_bytes({"a": b"a"}))
    )
    assert mismatch_note("rib.pdf", "application/pdf", sniff(PDF)) == ""
    assert "ne correspond pas" in mismatch_note("rib", "image/png", sniff(PDF))
    plan = open_plan("rib.pdf", PNG)  # the viewer follows the bytes: an image opens as an image
    assert plan.safe and plan.file_name == "rib.pdf.png"


def test_saving_all_never_stops_part_way(tmp_path):
    out = tmp_path / "pieces"
    out.mkdir()
    (out / "rib.pdf").write_bytes(b"deja la")
    stored = {
        1: ("rib.pdf", PDF),
        2: ("../../evil.pdf", PDF),
        3: ("a\x00b.pdf", PDF),
        4: ("..", PDF),
        5: ("casse.pdf", None),
        6: ("x.pdf      .bat", b"@echo off"),
        7: ("plein.pdf", b"ENOSPC"),
        8: ("facture\u202efdp.exe", b"MZ"),
    }

    def read(i):
        data = stored[i][1]
        if data is None:
            raise KeyError(i)
        return data

    def write(path, data):
        if data == b"ENOSPC":
            raise OSError(errno.ENOSPC, "No space left on device")
        path.write_bytes(data)

    report = save_all(out, [(i, name) for i, (name, _d) in stored.items()], read, write)
    names = sorted(p.name for p in report.written)
    assert names == sorted(["rib (2).pdf", "_._evil.pdf", "ab.pdf", "piece-4", "x.pdf.bat", "facturefdp.exe"])
    assert all(p.parent == out for p in report.written) and (out / "rib.pdf").read_bytes() == b"deja la"
    assert not (tmp_path / "evil.pdf").exists()
    assert len(report.failures) == 2
    message = report.message()
    assert "le disque est plein" in message and "casse.pdf" in message and "No space" not in message
    assert "x.pdf.bat" in message and "facturefdp.exe" in message and "ne les ouvrez pas" in message
    assert "\\u202e" in message  # the hidden character is shown for what it is
