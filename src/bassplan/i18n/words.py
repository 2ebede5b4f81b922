"""The word store: every word a user reads, in Danish and English, kept as data.

``words.csv`` holds one key per line (``key,da,en``, sorted by key); ``locale.csv`` holds the
conventions of each language (decimal mark, thousands separator, percent sign, date
formats) in the same shape. Both are read once. Keys are plain strings or the domain's
string enums (a ``Modality`` or ``Colour`` member is its own value).
"""

from __future__ import annotations

import csv
import io
import string
from functools import cache
from importlib.resources import files
from typing import Literal

from bassplan.domain.errors import BassError, InfeasiblePlanError, InputError
from bassplan.domain.phrase import Phrase

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")  # the column order of the word files


class WordFileError(ValueError):
    """A word file breaks its shape: a duplicate key, a missing language, a bad header."""


def read_word_file(text: str, name: str) -> dict[str, tuple[str, ...]]:
    """Parse a ``key,da,en`` file: one key per row, every language non-empty, no repeats."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != ("key", *LANGS):
        raise WordFileError(f"{name}: row 1: the header must be key,{','.join(LANGS)}")
    table: dict[str, tuple[str, ...]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 1 + len(LANGS):
            raise WordFileError(f"{name}: row {number}: {len(row)} cells, want {1 + len(LANGS)}")
        key, *texts = row
        if key in table:
            raise WordFileError(f"{name}: row {number}: key '{key}' appears twice")
        empty = [lang for lang, text in zip(LANGS, texts, strict=True) if not text]
        if not key or empty:
            raise WordFileError(f"{name}: row {number}: '{key}' lacks {', '.join(empty)}")
        table[key] = tuple(texts)
    return table


@cache
def _table(name: str) -> dict[str, tuple[str, ...]]:
    text = files("bassplan.i18n").joinpath(name).read_text(encoding="utf-8")
    return read_word_file(text, name)


def word_table() -> dict[str, tuple[str, ...]]:
    """Every key of the word store with its texts in ``LANGS`` order (read once)."""
    return _table("words.csv")


def convention(key: str, lang: Lang) -> str:
    """One convention of a language from ``locale.csv`` (e.g. ``decimal_mark``)."""
    return _table("locale.csv")[key][LANGS.index(lang)]


def label(key: str, lang: Lang = "da") -> str:
    """The text of a key in Danish (default) or English; unknown keys come back as is."""
    texts = word_table().get(key)
    return key if texts is None else texts[LANGS.index(lang)]


def as_lang(value: str | None, default: Lang = "da") -> Lang:
    """``value`` if it names a language of the store, else ``default``."""
    return next((lang for lang in LANGS if lang == value), default)


def pick(da: str, en: str, lang: Lang) -> str:
    """Of a name held in both languages by the data (a specialty's, an indicator's), the one
    in ``lang``."""
    return (da, en)[LANGS.index(lang)]


def localise_number(text: str, lang: Lang) -> str:
    """A number Python formatted ('1,234.5', '85%') in the conventions of ``lang``."""
    marks = {",": convention("thousands_separator", lang), ".": convention("decimal_mark", lang),
             "%": convention("percent_sign", lang)}
    return "".join(marks.get(char, char) for char in text)


class _Formatter(string.Formatter):
    """str.format that says phrases and writes numbers in the reader's conventions."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Phrase):
            return say(value, self.lang)
        text = format(value, format_spec)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return localise_number(text, self.lang)
        return text


def say(words: Phrase | str, lang: Lang, /, **params: object) -> str:
    """The text of a phrase (or a key and ``params``) in ``lang``, its ``{name}`` fields
    filled: numbers by their format spec in the language's conventions, phrases said too."""
    if isinstance(words, Phrase):
        params = {**words.param_dict(), **params}
        words = words.key
    text = label(words, lang)
    return _Formatter(lang).vformat(text, (), params) if params else text


def say_rule(error: InputError, lang: Lang) -> str:
    """The broken rule of an input error in ``lang`` (its English rule if it has no phrase)."""
    return error.rule if error.words is None else say(error.words, lang)


def say_error(error: InputError, lang: Lang) -> str:
    """An input error's one line in ``lang``: where, which field, which rule (the English
    ``line()`` when the rule has no phrase)."""
    if error.words is None:
        return error.line()
    place = f"{error.source}, {error.where}" if error.where else error.source
    return say("error_line", lang, place=place, field=error.field, rule=error.words)


def say_failure(error: BassError, lang: Lang) -> str:
    """Any bassplan error's one line in ``lang``: an input error's line, an infeasible plan's
    reason and hint, else the error's own (English) text."""
    if isinstance(error, InputError):
        return say_error(error, lang)
    if isinstance(error, InfeasiblePlanError) and error.words is not None:
        return say(error.words, lang)
    return str(error)
