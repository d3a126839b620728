"""Attachments from a received dossier are untrusted: their names and their declared media types.

A name may hide its real extension behind bidi controls (``facture\\u202Efdp.exe`` shows as
« facturexe.pdf »), spaces (``x.pdf      .bat``) or a second extension (``RIB.pdf.lnk``), carry path
separators, ``..``, NULs or control characters. The stored media type is whatever the sender wrote.
This module (no Qt) cleans names, sniffs the real type from the bytes, decides whether a file may be
handed to the system's opener, and saves attachments into a folder without ever stopping part-way.
"""

from __future__ import annotations

import errno
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_write_bytes
from .presentation import plural

FALLBACK_NAME = "piece-jointe"
MAX_NAME = 150
MAX_NAME_BYTES = 200  # below the 255 bytes of common file systems, leaving room for « (2) »

#: Extensions the system runs, installs or follows instead of showing (compared in lower case).
EXECUTABLE_EXTENSIONS = frozenset(
    [
        "exe",
        "bat",
        "cmd",
        "com",
        "scr",
        "msi",
        "msp",
        "mst",
        "lnk",
        "url",
        "desktop",
        "js",
        "jse",
        "vbs",
        "vbe",
        "ps1",
        "psm1",
        "psd1",
        "ps1xml",
        "jar",
        "sh",
        "bash",
        "zsh",
        "csh",
        "ksh",
        "app",
        "pif",
        "hta",
        "wsf",
        "wsh",
        "wsc",
        "reg",
        "cpl",
        "msc",
        "appimage",
        "run",
        "command",
        "scf",
        "inf",
        "gadget",
        "application",
        "appref-ms",
        "settingcontent-ms",
        "library-ms",
        "search-ms",
        "diagcab",
        "chm",
        "hlp",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "dll",
        "sys",
        "drv",
        "ocx",
        "apk",
        "deb",
        "rpm",
        "py",
        "pyw",
        "pl",
        "rb",
        "php",
        "html",
        "htm",
        "xhtml",
        "mht",
        "mhtml",
        "svg",
        "xht",
        "shs",
        "lnk",
        "website",
        "webloc",
        "fileloc",
        "inetloc",
        "terminal",
        "tool",
        "workflow",
        "action",
    ]
)

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[/\\:*?"<>|]')


# -- names ------------------------------------------------------------------------------------------


def clean_name(name: str, fallback: str = FALLBACK_NAME) -> str:
    """A name safe to show and to write in any folder: no format (bidi) or control characters, no
    path separators or ``..``, no runs of spaces hiding an extension, no trailing dots or spaces."""
    text = unicodedata.normalize("NFC", str(name))
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Cc", "Cs", "Co", "Cn"):
            if ch in "\t\n\r":
                kept.append(" ")
            continue
        kept.append(" " if cat in ("Zl", "Zp", "Zs") else ch)
    text = _UNSAFE_CHARS.sub("_", "".join(kept))
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" ?\. ?", ".", text)  # « x.pdf .bat » → « x.pdf.bat »: the real extension shows
    text = text.strip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    while len(text) > MAX_NAME or len(text.encode("utf-8")) > MAX_NAME_BYTES:  # file systems count bytes
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 16 and len(stem) > 1:
            text = stem[:-1].rstrip(" .") + "." + ext
        else:
            text = text[:-1].rstrip(" .")
    return text or fallback


def extensions(name: str) -> list[str]:
    """Every extension of the cleaned name, last one last (``RIB.pdf.lnk`` → ``["pdf", "lnk"]``)."""
    parts = clean_name(name).lower().split(".")
    return [p.strip() for p in parts[1:] if p.strip()]


def is_executable_name(name: str) -> bool:
    exts = extensions(name)
    return bool(exts) and exts[-1] in EXECUTABLE_EXTENSIONS


# -- media types ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sniffed:
    """What a file's first bytes say it is, whatever its name claims."""

    media_type: str
    label: str  # in French, as shown next to the file
    extension: str = ""  # the usual extension of that type ("" when none fits)
    executable: bool = False


def with_article(label: str) -> str:
    """« un document PDF », « une image PNG »."""
    feminine = label.split(" ", 1)[0] in {"archive", "image", "page", "présentation"}
    return ("une " if feminine else "un ") + label


OCTET = Sniffed("application/octet-stream", "fichier de type inconnu")

_ZIP_TYPES = {
    "word/": Sniffed(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document Word", "docx"
    ),
    "xl/": Sniffed(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "classeur Excel", "xlsx"
    ),
    "ppt/": Sniffed(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "présentation PowerPoint",
        "pptx",
    ),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": ("document OpenDocument texte", "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": ("classeur OpenDocument", "ods"),
    "application/vnd.oasis.opendocument.presentation": ("présentation OpenDocument", "odp"),
    "application/vnd.oasis.opendocument.graphics": ("dessin OpenDocument", "odg"),
}
#: extension → the media type it claims, for comparing a name with the bytes
_CLAIMS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "txt": "text/plain",
    "csv": "text/plain",
    "zip": "application/zip",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "rtf": "application/rtf",
    **{s.extension: s.media_type for s in _ZIP_TYPES.values()},
    **{ext: mt for mt, (_label, ext) in _ODF.items()},
    "doc": "application/x-ole-storage",
    "xls": "application/x-ole-storage",
    "ppt": "application/x-ole-storage",
}


def _sniff_zip(data: bytes) -> Sniffed:
    plain_zip = Sniffed("application/zip", "archive ZIP", "zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()[:2000]
            if "mimetype" in names:
                declared = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in _ODF:
                    label, ext = _ODF[declared]
                    return Sniffed(declared, label, ext)
            if "[Content_Types].xml" in names:
                for prefix, sniffed in _ZIP_TYPES.items():
                    if any(n.startswith(prefix) for n in names):
                        return sniffed
            if any(n.lower().endswith(".class") for n in names) and "META-INF/MANIFEST.MF" in names:
                return Sniffed("application/java-archive", "programme Java", "jar", executable=True)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return plain_zip
    return plain_zip


def sniff(data: bytes) -> Sniffed:
    """The type the bytes really are (never what the name or the stored media type say)."""
    head = data[:64]
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "document PDF", "pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "image PNG", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "image JPEG", "jpg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("image/gif", "image GIF", "gif")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed("image/tiff", "image TIFF", "tif")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "image WebP", "webp")
    if head.startswith(b"BM") and len(data) > 26:
        return Sniffed("image/bmp", "image BMP", "bmp")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed("application/x-ole-storage", "document Office ancien (ou paquet Windows)", "")
    if head.startswith(b"{\\rtf"):
        return Sniffed("application/rtf", "document RTF", "rtf")
    if head.startswith(b"MZ"):
        return Sniffed("application/x-msdownload", "programme Windows", "exe", executable=True)
    if head.startswith(b"\x7fELF"):
        return Sniffed("application/x-executable", "programme Linux", "", executable=True)
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ):
        return Sniffed("application/x-mach-binary", "programme macOS", "", executable=True)
    if head.startswith(b"#!"):
        return Sniffed("text/x-script", "script exécutable", "", executable=True)
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml")):
        return Sniffed("text/html", "page web ou document XML", "", executable=True)
    sample = data[:65536]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # a cut at the end of the sample is not an error
                return OCTET
        return Sniffed("text/plain", "texte")  # a weak guess: it never renames a file
    return OCTET


def claimed_type(name: str) -> str | None:
    exts = extensions(name)
    return _CLAIMS.get(exts[-1]) if exts else None


def mismatch_note(name: str, stored_media_type: str, sniffed: Sniffed) -> str:
    """In French, when the name's extension or the stored media type disagree with the bytes; else ""."""
    if sniffed is OCTET:
        return ""
    claim = claimed_type(name)
    if (
        claim is not None
        and claim != sniffed.media_type
        and not (claim == "text/plain" and sniffed.label == "texte")
    ):
        return (
            f"Attention : son nom indique un autre type, mais le contenu est {with_article(sniffed.label)}."
        )
    stored = (stored_media_type or "").split(";")[0].strip().lower()
    if stored and stored not in ("application/octet-stream", sniffed.media_type) and claim is None:
        return f"Le type enregistré (« {stored[:60]} ») ne correspond pas au contenu : {sniffed.label}."
    return ""


# -- opening ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenPlan:
    """How « Ouvrir » treats a file: hand it to the system's viewer under ``file_name``, or (when
    ``safe`` is False) only save it where the user chooses, with ``warning``."""

    safe: bool
    file_name: str
    sniffed: Sniffed
    warning: str = ""


def open_plan(name: str, data: bytes) -> OpenPlan:
    cleaned = clean_name(name)
    sniffed = sniff(data)
    if is_executable_name(cleaned) or sniffed.executable:
        what = (
            with_article(sniffed.label)
            if sniffed.executable
            else f"un fichier « .{extensions(cleaned)[-1]} »"
        )
        return OpenPlan(
            False,
            cleaned,
            sniffed,
            (
                f"« {cleaned} » n'est pas ouvert : c'est {what}, que l'ordinateur exécuterait au lieu de "
                "l'afficher. Un fichier reçu ainsi peut être dangereux ; il peut seulement être enregistré. "
                "Ne l'ouvrez que si vous savez d'où il vient."
            ),
        )
    claim = claimed_type(cleaned)
    if sniffed.extension and claim != sniffed.media_type and sniffed is not OCTET:
        cleaned = f"{cleaned}.{sniffed.extension}"  # the viewer follows the bytes, not the sender's name
    return OpenPlan(True, cleaned, sniffed)


# -- saving every attachment ------------------------------------------------------------------------


@dataclass
class SaveReport:
    """What saving received files did: written, renamed, refused, to be handled with care."""

    written: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # French, one per file not written
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (stored name, name written)
    risky: list[str] = field(default_factory=list)  # written, but never to be opened blindly

    def message(self) -> str:
        """What happened, in French, for a message box."""
        lines = [f"{plural(len(self.written), 'fichier enregistré')}."]
        if self.renamed:
            lines.append("Noms corrigés (caractères invisibles ou interdits retirés) :")
            lines += [f"• {shown_name(old)} → {new}" for old, new in self.renamed[:20]]
        if self.risky:
            lines.append(
                "Attention, ces fichiers sont des programmes ou des raccourcis : ne les ouvrez pas "
                "sans savoir d'où ils viennent :"
            )
            lines += [f"• {n}" for n in self.risky[:20]]
        if self.failures:
            lines.append(f"{plural(len(self.failures), 'fichier')} n'ont pas pu être enregistrés :")
            lines += [f"• {f}" for f in self.failures[:20]]
        return "\n".join(lines)


def shown_name(name: str) -> str:
    """A stored name as it can be shown: invisible characters as their code (\\u202e)."""
    out = []
    for ch in str(name)[:200]:
        cat = unicodedata.category(ch)
        out.append(f"\\u{ord(ch):04x}" if cat.startswith("C") else ch)
    return "".join(out)


_OS_REASONS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota de disque est atteint",
    errno.EACCES: "vous n'avez pas le droit d'écrire à cet emplacement",
    errno.EPERM: "vous n'avez pas le droit d'écrire à cet emplacement",
    errno.EROFS: "l'emplacement est en lecture seule",
    errno.ENOENT: "le dossier de destination n'existe pas (ou plus)",
    errno.ENOTDIR: "le dossier de destination n'existe pas (ou plus)",
    errno.ENAMETOOLONG: "le nom du fichier est trop long",
    errno.EISDIR: "un dossier porte déjà ce nom",
    errno.EINVAL: "le système refuse ce nom de fichier",
    errno.EIO: "erreur de lecture ou d'écriture sur le disque",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be written, in French (never Python's English strerror)."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if exc.errno is None and str(exc) and not exc.strerror:
        return str(exc)  # our own French reason
    return f"erreur d'écriture (code {exc.errno})"


def free_path(folder: Path, file_name: str) -> Path:
    """``folder/file_name``, or « name (2).ext »… when taken (an existing file is never replaced)."""
    path = folder / file_name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists() or path.is_symlink():
        path = folder / f"{stem} ({n}){suffix}"
        n += 1
    return path


def save_all(
    folder: Path,
    items: Iterable[tuple[int, str]],
    read: Callable[[int], bytes],
    write: Callable[[Path, bytes], None] | None = None,
) -> SaveReport:
    """Write each attachment ``(id, stored name)`` into ``folder`` under its cleaned name; a failure
    is recorded and the next file is still written."""
    report = SaveReport()
    write = write or atomic_write_bytes
    folder = Path(folder)
    seen: set[int] = set()
    for attachment_id, name in items:
        if attachment_id in seen:
            continue
        seen.add(attachment_id)
        cleaned = clean_name(name, f"piece-{attachment_id}")
        try:
            data = read(attachment_id)
            target = free_path(folder, cleaned)
            if target.resolve().parent != folder.resolve():
                raise OSError("nom de fichier refusé")
            write(target, data)
        except OSError as exc:
            report.failures.append(f"« {cleaned} » : {os_reason(exc)}")
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable attachment never stops the others
            report.failures.append(
                f"« {cleaned} » : le fichier n'a pas pu être lu dans le dossier ({type(exc).__name__})"
            )
            continue
        report.written.append(target)
        if cleaned != name:  # « (2) » for a name already taken is no correction worth telling
            report.renamed.append((name, target.name))
        if is_executable_name(target.name) or sniff(data).executable:
            report.risky.append(target.name)
    return report
