"""argparse in French to the last word, whatever ``LANG`` says: « utilisation : », « options »,
« choisir parmi », « arguments obligatoires manquants » — and no internal name (``kind``) shown.

argparse looks its words up through ``argparse._`` / ``argparse.ngettext`` when it formats
them; :class:`FrenchParser` swaps those for French ones while it builds, formats and parses, and
puts them back afterwards (other parsers of the process are left alone).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

EXIT_ERROR = 2

#: argparse's own strings (Python 3.9 – 3.13) and their French.
FRENCH: dict[str, str] = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "optional arguments": "options",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (commandes : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n'en prend pas",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    'argument "-" with mode %r': "argument « - » avec le mode %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "cannot have multiple subparser arguments": "une seule liste de commandes est possible",
}
FRENCH_PLURAL: dict[str, tuple[str, str]] = {
    "expected %s argument": ("%s valeur est attendue", "%s valeurs sont attendues"),
}

#: A positional shown in messages by its metavar, never by its internal name.
METAVARS = {
    "file": "FICHIER.spie",
    "out": "SORTIE",
    "input": "ENTREE",
    "answers": "REPONSES.json",
    "kind": "FORMAT",
    "title": "TITRE",
    "author": "NOM",
    "organisation": "ORGANISATION",
    "output": "SORTIE",
    "partner": "PARTENAIRE",
    "field": "CHAMP",
    "at": "DATE",
    "since": "DATE",
    "template": "MODELE",
    "path": "CHEMIN",
    "name": "NOM",
    "url": "ADRESSE",
    "section": "SECTION",
    "sections": "SECTIONS",
    "limit": "NOMBRE",
}


def french(message: str) -> str:
    return FRENCH.get(message, message)


def french_plural(singular: str, plural: str, n: int) -> str:
    if singular in FRENCH_PLURAL:
        one, many = FRENCH_PLURAL[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


@contextmanager
def speaking_french() -> Iterator[None]:
    """argparse's words in French for the duration (re-entrant)."""
    old = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = french  # type: ignore[attr-defined]
    argparse.ngettext = french_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = old  # type: ignore[attr-defined]


class FrenchHelpFormatter(argparse.HelpFormatter):
    def start_section(self, heading):
        """« options : », a space before the colon argparse adds, as French writes it."""
        return super().start_section(f"{heading} " if heading else heading)

    def _format_usage(self, usage, actions, groups, prefix):
        with speaking_french():
            return super()._format_usage(usage, actions, groups, prefix)


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word is French, exiting with code 2 on a user error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        with speaking_french():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any):
        positional = bool(args) and not str(args[0]).startswith(self.prefix_chars)
        takes_value = kwargs.get("action") in (None, "store", "append", "extend")
        if not positional and takes_value and "metavar" not in kwargs and "choices" not in kwargs:
            long = next((a for a in args if str(a).startswith("--")), str(args[-1]))
            dest = kwargs.get("dest", str(long).lstrip(self.prefix_chars).replace("-", "_"))
            kwargs["metavar"] = METAVARS.get(dest, dest.upper())
        if positional and "metavar" not in kwargs:
            dest = kwargs.get("dest", args[0])
            choices = kwargs.get("choices")
            if choices is not None:
                kwargs["metavar"] = "{" + ",".join(str(c) for c in choices) + "}"
            else:
                kwargs["metavar"] = METAVARS.get(dest, str(dest).upper())
        with speaking_french():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any):
        kwargs.setdefault("parser_class", type(self))
        with speaking_french():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args=None, namespace=None):
        with speaking_french():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args=None, namespace=None):
        with speaking_french():  # « unrecognized arguments » is raised here, after parse_known_args
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with speaking_french():
            return super().format_help()

    def format_usage(self) -> str:
        with speaking_french():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog} : erreur : {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


class FrenchRawEpilog(FrenchHelpFormatter):
    """The epilog's lines as written (the window's options, one a line)."""

    def _fill_text(self, text, width, indent):
        return "".join(indent + line for line in text.splitlines(keepends=True))
