"""Hand a PDF to the system's printing: CUPS ``lp`` on Linux and macOS, the PDF reader's « print »
verb on Windows. No dialog here: the window asks for the options and shows the outcome.

``run`` and ``start_file`` are the boundary with the system; tests replace them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import SpieError

TIMEOUT_S = 30
NO_PRINTING = (
    "Aucun système d'impression n'est disponible sur cet ordinateur (la commande « lp » de CUPS est "
    "introuvable). Enregistrez la copie de relecture (Exporter › Copie de relecture PDF) et "
    "imprimez-la depuis votre lecteur de PDF."
)


class PrintError(SpieError):
    """Printing was refused or impossible; the message is French, fit to show as is."""


@dataclass(frozen=True)
class PrintOptions:
    printer: str | None = None  # None: the system's default printer
    copies: int = 1
    two_sided: bool = False


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def start_file(path: str, verb: str) -> None:  # pragma: no cover - Windows only
    os.startfile(path, verb)  # type: ignore[attr-defined]


def uses_cups() -> bool:
    return sys.platform != "win32"


def printers() -> tuple[list[str], str | None]:
    """(printers accepting jobs, the default one) from ``lpstat``; empty when it is not there."""
    if not uses_cups() or shutil.which("lpstat") is None:
        return [], None
    try:
        accepting = run(["lpstat", "-a"])
        default = run(["lpstat", "-d"])
    except (OSError, subprocess.TimeoutExpired):
        return [], None
    names = [
        line.split()[0]
        for line in accepting.stdout.splitlines()
        if line.strip() and accepting.returncode == 0
    ]
    chosen = None
    if default.returncode == 0 and ":" in default.stdout:
        chosen = default.stdout.split(":", 1)[1].strip() or None
    return names, chosen if chosen in names else None


def lp_command(path: Path, options: PrintOptions, title: str = "") -> list[str]:
    args = ["lp"]
    if options.printer:
        args += ["-d", options.printer]
    args += ["-n", str(max(1, options.copies))]
    args += ["-o", "sides=two-sided-long-edge" if options.two_sided else "sides=one-sided"]
    if title:
        args += ["-t", title]
    return [*args, "--", str(path)]


def send_to_printer(path: Path, options: PrintOptions, title: str = "") -> str:
    """Send the PDF; a French sentence saying where it went. Raises :class:`PrintError`."""
    if not uses_cups():
        try:
            for _ in range(max(1, options.copies)):
                start_file(str(path), "print")
        except OSError as exc:
            raise PrintError(
                "Windows n'a pas pu imprimer la copie : aucun lecteur de PDF ne sait l'imprimer "
                f"({exc.strerror or exc}). Ouvrez-la et imprimez-la depuis votre lecteur."
            ) from exc
        return "La copie de relecture est envoyée à votre lecteur de PDF pour impression."
    try:
        done = run(lp_command(path, options, title))
    except FileNotFoundError as exc:
        raise PrintError(NO_PRINTING) from exc
    except subprocess.TimeoutExpired as exc:
        raise PrintError(
            "Le système d'impression ne répond pas : réessayez dans un instant, ou imprimez la "
            "copie de relecture depuis votre lecteur de PDF."
        ) from exc
    except OSError as exc:
        raise PrintError(f"L'impression n'a pas pu être lancée : {exc.strerror or exc}.") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = f" (message du système : {detail[-1]})" if detail else ""
        raise PrintError(f"Le système d'impression a refusé la copie{reason}. Vérifiez l'imprimante choisie.")
    where = f"à l'imprimante « {options.printer} »" if options.printer else "à l'imprimante par défaut"
    copies = f"{options.copies} exemplaires" if options.copies > 1 else "1 exemplaire"
    return f"Copie de relecture envoyée {where} ({copies}{', recto verso' if options.two_sided else ''})."
