"""French spell checking: the shipped Dicollecte Hunspell dictionary, a personal dictionary in the
user's data folder, and the dossier's own proper nouns and acronyms accepted without asking.

The engine is Hunspell through the ``chunspell`` binding (its wheels carry the compiled library,
so the Windows bundle needs nothing from the system). It was chosen by measuring it against the
pure-Python port ``spylls``: see benchmarks/bench_spelling.py. Every answer is cached per word, so
re-checking a paragraph while typing is a few dictionary look-ups.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any, Protocol

from .forms.paths import ROW_KEY, FieldPath
from .forms.types import FieldType
from .resources_path import resource
from .settings import data_dir
from .snapshot import DossierSnapshot

DICTIONARY = "fr_FR"
PERSONAL_FILE = "dictionnaire-personnel.txt"
MAX_SUGGESTIONS = 7

#: A word: letters, with inner apostrophes and hyphens (« l'insertion », « peut-être », « aujourd’hui »).
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
#: Stretches never checked: web and e-mail addresses, anything holding a digit or an underscore.
SKIP = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\S*[\d_]\S*")
ELISION = re.compile(r"^(?:[lLdDjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’]")
#: The social-insertion vocabulary a dossier uses before anyone has typed its own names.
KNOWN_WORDS = frozenset(
    [
        "CAF",
        "RSA",
        "EPCI",
        "SIAE",
        "CCAS",
        "CIAS",
        "CD",
        "PLIE",
        "MDPH",
        "MSA",
        "CPAM",
        "ARS",
        "DREETS",
        "DDETS",
        "URSSAF",
        "SPIE",
        "AMI",
        "ETP",
        "ESS",
        "IAE",
        "ACI",
        "EI",
        "ETTI",
        "GEIQ",
        "CDIAE",
        "CTG",
        "PDI",
        "PTI",
        "ASE",
        "AAH",
        "ASS",
        "France",
        "Travail",
        "Pôle",
        "emploi",
        "mission",
        "missions",
        "locale",
        "locales",
        "insertion",
        "numérique",
        "numériques",
        "accompagnant",
        "accompagnants",
        "référent",
        "référents",
        "référente",
        "coconstruire",
        "coconstruit",
        "coconstruction",
        "décloisonnement",
        "décloisonner",
        "décloisonné",
        "décloisonnée",
    ]
)

_VOWEL_VARIANTS = {
    "a": "aàâ",
    "e": "eéèê",
    "i": "iîï",
    "o": "oô",
    "u": "uùû",
    "c": "cç",
}
_MAX_ACCENT_CANDIDATES = 256


class Engine(Protocol):
    def spell(self, word: str) -> bool: ...

    def suggest(self, word: str) -> Iterable[str]: ...


def dictionary_dir() -> Path:
    return resource("dictionaries")


def load_engine(directory: Path | None = None) -> Engine:
    """The Hunspell dictionary (about 0.3 s: call it off the interface thread)."""
    import hunspell  # chunspell

    directory = directory or dictionary_dir()
    return hunspell.Hunspell(DICTIONARY, hunspell_data_dir=str(directory))


def personal_path() -> Path:
    return data_dir() / PERSONAL_FILE


@dataclass(frozen=True)
class Misspelling:
    start: int
    end: int
    word: str


@dataclass(frozen=True)
class UnknownWord:
    """One unknown word of « Vérifier l'orthographe du dossier », with where it is."""

    word: str
    section_id: str
    section_title: str
    question: str
    path: str
    location: str
    start: int
    end: int
    text: str


def words_of(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of every word worth checking (addresses and numbers left out)."""
    skipped = (
        [(m.start(), m.end()) for m in SKIP.finditer(text)]
        if ("@" in text or "/" in text or any(c.isdigit() for c in text) or "_" in text or "www." in text)
        else []
    )
    j = 0
    for m in WORD.finditer(text):
        start, end = m.span()
        while j < len(skipped) and skipped[j][1] <= start:
            j += 1
        if j < len(skipped) and skipped[j][0] < end:
            continue
        yield start, end, m.group()


class SpellChecker:
    """Answers « is this word right? » from a cache, the dossier's words, the user's words, then Hunspell."""

    def __init__(self, engine: Engine, personal: Path | None = None) -> None:
        self.engine = engine
        self.personal_file = personal if personal is not None else personal_path()
        self.personal: set[str] = set(read_word_list(self.personal_file))
        self.ignored: set[str] = set()
        self.dossier_words: frozenset[str] = frozenset()
        self._cache: dict[str, bool] = {}
        self._lock = threading.Lock()

    # -- checking --------------------------------------------------------------------------------

    def is_known(self, word: str) -> bool:
        known = self._cache.get(word)
        if known is None:
            known = self._cache[word] = self._judge(word)
        return known

    def _accepted(self, word: str) -> bool:
        if len(word) < 2 or word in KNOWN_WORDS or word in self.dossier_words:
            return True
        if word in self.personal or word in self.ignored:
            return True
        if word.isupper():  # acronyms: word processors ignore words in capitals by default
            return True
        low = word[:1].lower() + word[1:]
        return low != word and (low in self.personal or low in self.ignored or low in KNOWN_WORDS)

    def _judge(self, word: str) -> bool:
        if self._accepted(word):
            return True
        with self._lock:
            if self.engine.spell(word):
                return True
        m = ELISION.match(word)
        if m and self.is_known(word[m.end() :]):
            return True
        if "-" in word:
            return all(self.is_known(part) for part in word.split("-") if part)
        if "’" in word:
            return self.is_known(word.replace("’", "'"))
        return False

    def misspellings(self, text: str) -> list[Misspelling]:
        return [Misspelling(s, e, w) for s, e, w in words_of(text) if not self.is_known(w)]

    # -- suggestions -----------------------------------------------------------------------------

    def suggestions(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Accents put back first (« benevoles » → « bénévoles »: Hunspell often misses those), then Hunspell's."""
        found = [w for w in self._accented(word) if w != word]
        with self._lock:
            found += [s for s in self.engine.suggest(word) if s not in found]
        return found[:limit]

    def _accented(self, word: str) -> list[str]:
        low = word.lower()
        choices = [_VOWEL_VARIANTS.get(ch, ch) for ch in low]
        count = 1
        for c in choices:
            count *= len(c)
        if count > _MAX_ACCENT_CANDIDATES or count == 1:
            return []
        out = []
        with self._lock:
            for letters in product(*choices):
                candidate = "".join(letters)
                if candidate == low:
                    continue
                candidate = _same_case(word, candidate)
                if self.engine.spell(candidate):
                    out.append(candidate)
        return out

    # -- the user's words ------------------------------------------------------------------------

    def add_to_personal(self, word: str) -> None:
        """Remember the word for every dossier (written at once, atomically)."""
        self.personal.add(word)
        self._forget(word)
        write_word_list(self.personal_file, sorted(self.personal))

    def ignore(self, word: str) -> None:
        """Accept the word until the application closes."""
        self.ignored.add(word)
        self._forget(word)

    def set_dossier_words(self, words: Iterable[str]) -> None:
        new = frozenset(words)
        if new != self.dossier_words:
            self.dossier_words = new
            self._cache.clear()

    def _forget(self, word: str) -> None:
        for w in [w for w in self._cache if w == word or w.endswith(word)]:
            del self._cache[w]


def _same_case(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def read_word_list(path: Path) -> list[str]:
    """One word a line; a missing or unreadable file is an empty list."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def write_word_list(path: Path, words: Iterable[str]) -> None:
    from .atomic import atomic_write_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    body = "# Dictionnaire personnel de SPIE Desktop : un mot par ligne.\n" + "".join(f"{w}\n" for w in words)
    atomic_write_bytes(path, body.encode("utf-8"))


# -- the dossier -----------------------------------------------------------------------------------

PLACE_TYPES = frozenset({FieldType.DEPARTEMENTS, FieldType.EPCI})


def _texts(snapshot: DossierSnapshot) -> Iterator[tuple[Any, str, str, str, str, FieldType]]:
    """(section, question, path, location, text, type) of every text answer, rows included."""
    for section in snapshot.template.sections:
        for spec in section.fields:
            if not spec.is_repetition:
                value = snapshot.answers.get(spec.id)
                if isinstance(value, list):
                    value = ", ".join(v for v in value if isinstance(v, str))
                if isinstance(value, str) and value:
                    yield section, spec.label, spec.id, "", value, spec.type
                continue
            for i, row in enumerate(snapshot.rows(spec.id), start=1):
                rid = row.get(ROW_KEY)
                for child in spec.children:
                    value = row.get(child.id)
                    if isinstance(value, str) and value and isinstance(rid, str):
                        yield (
                            section,
                            child.label,
                            str(FieldPath(spec.id, rid, child.id)),
                            f"{spec.row_label or 'Ligne'} {i}",
                            value,
                            child.type,
                        )


def answer_words(kind: FieldType, value: Any) -> frozenset[str]:
    """The words one answer vouches for: every word of a place, the capitalised words of a one-line
    answer (structures, people, financers), none of a written paragraph (a misspelling there must
    stay visible) or of any other type."""
    if isinstance(value, list):
        value = ", ".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value:
        return frozenset()
    if kind in PLACE_TYPES:
        return frozenset(w for _a, _b, w in words_of(value))
    if kind is FieldType.TEXT:
        return frozenset(w for _a, _b, w in words_of(value) if w[:1].isupper())
    return frozenset()


def title_words(title: str) -> frozenset[str]:
    return frozenset(w for _a, _b, w in words_of(title or "") if w[:1].isupper())


def dossier_vocabulary(snapshot: DossierSnapshot) -> set[str]:
    """Words the dossier itself vouches for (:func:`answer_words` of every answer, rows included,
    and the capitalised words of its title)."""
    words: set[str] = set()
    for _s, _q, _p, _l, text, kind in _texts(snapshot):
        words.update(answer_words(kind, text))
    words.update(title_words(snapshot.info.title))
    return words


TITLE_KEY = "\x00titre"


class Vocabulary:
    """:func:`dossier_vocabulary` kept up to date answer by answer, for the window (issue 14).

    Reading every answer of a 5 000-row dossier after each typing pause held the window for a
    tenth of a second at 10× the example's rows; here an edit costs the words of the one answer
    changed (:meth:`set`), a repetition's rows added, moved or removed the words of that
    repetition (:meth:`drop_rows` then :meth:`set` for its rows), and the first reading of the
    whole dossier is done in slices (:meth:`fill`), between which the window keeps answering."""

    def __init__(self, template: Any) -> None:
        self.template = template
        self._of: dict[str, frozenset[str]] = {}
        self._count: dict[str, int] = {}
        self._kinds: dict[str, FieldType | None] = {}
        self.filled = False

    def kind(self, path: str) -> FieldType | None:
        """The type of the field a stored path names (None: a field this template does not have)."""
        try:
            parsed = FieldPath.parse(path)
            key = parsed.field if parsed.child is None else f"{parsed.field}.{parsed.child}"
        except ValueError:
            return None
        if key not in self._kinds:
            try:
                spec = self.template.field(parsed.field)
            except KeyError:
                spec = None
            if spec is not None and parsed.child is not None:
                spec = next((c for c in spec.children if c.id == parsed.child), None)
            self._kinds[key] = None if spec is None or spec.is_repetition else spec.type
        return self._kinds[key]

    def set(self, path: str, value: Any) -> bool:
        """The answer at ``path`` is now ``value``; True when the vocabulary changed."""
        if path == TITLE_KEY:
            words = title_words(value if isinstance(value, str) else "")
        else:
            kind = self.kind(path)
            words = answer_words(kind, value) if kind is not None else frozenset()
        old = self._of.get(path, frozenset())
        if words == old:
            return False
        count = self._count
        for w in old - words:
            if count[w] == 1:
                del count[w]
            else:
                count[w] -= 1
        for w in words - old:
            count[w] = count.get(w, 0) + 1
        if words:
            self._of[path] = words
        else:
            self._of.pop(path, None)
        return True

    def drop_rows(self, field_id: str) -> bool:
        """Forget the words of every row of a repetition (its rows are then :meth:`set` again)."""
        prefix = f"{field_id}["
        changed = False
        for path in [p for p in self._of if p.startswith(prefix)]:
            changed = self.set(path, None) or changed
        return changed

    def fill(self, snapshot: DossierSnapshot, step: int = 200) -> Iterator[None]:
        """Read every answer of ``snapshot``, yielding every ``step`` answers (the caller gives the
        window its turn between two slices); :attr:`filled` once done."""
        self._of.clear()
        self._count.clear()
        self.set(TITLE_KEY, snapshot.info.title)
        for n, (_s, _q, path, _l, text, _kind) in enumerate(_texts(snapshot), start=1):
            self.set(path, text)
            if n % step == 0:
                yield
        self.filled = True

    @property
    def words(self) -> frozenset[str]:
        return frozenset(self._count)


CHECKED_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})


def check_dossier(
    snapshot: DossierSnapshot, checker: SpellChecker, should_stop: Callable[[], bool] | None = None
) -> list[UnknownWord]:
    """« Vérifier l'orthographe du dossier »: every unknown word of the written answers, in form order."""
    checker.set_dossier_words(dossier_vocabulary(snapshot))
    out = []
    for section, question, path, location, text, kind in _texts(snapshot):
        if kind not in CHECKED_TYPES:
            continue
        if should_stop is not None and should_stop():
            break
        for m in checker.misspellings(text):
            out.append(
                UnknownWord(m.word, section.id, section.title, question, path, location, m.start, m.end, text)
            )
    return out
