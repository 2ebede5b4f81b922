"""Words not yet in a language: a key of the word store and the values its text names.

The domain and the model speak in phrases so that an explanation step, a job's progress or
a validation message can be shown in the reader's language later (``bassplan.i18n.say``);
the domain itself never reads the word store.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """A word-store ``key`` and the ``params`` its text names as ``{name}`` (a value may be a
    number, formatted by the text's format spec in the reader's conventions, or another
    phrase, said in the same language)."""

    key: str
    params: tuple[tuple[str, str | int | float | Phrase], ...] = ()

    def param_dict(self) -> dict[str, str | int | float | Phrase]:
        """The parameters by name."""
        return dict(self.params)


def phrase(key: str, /, **params: str | int | float | Phrase) -> Phrase:
    """A phrase of ``key`` with named parameters."""
    return Phrase(key, tuple(params.items()))


def phrase_to_data(words: Phrase) -> dict[str, object]:
    """The phrase as plain JSON-ready data (nested phrases as nested objects)."""
    return {"key": words.key,
            "params": [[name, phrase_to_data(value) if isinstance(value, Phrase) else value]
                       for name, value in words.params]}


def phrase_from_data(data: dict[str, object]) -> Phrase:
    """The phrase ``phrase_to_data`` wrote (ValueError if ``data`` is not one)."""
    key, params = data.get("key"), data.get("params")
    if not isinstance(key, str) or not isinstance(params, list):
        raise ValueError("not a phrase: needs 'key' (text) and 'params' (list)")
    pairs: list[tuple[str, str | int | float | Phrase]] = []
    for name, value in params:
        pairs.append((str(name), phrase_from_data(value) if isinstance(value, dict) else value))
    return Phrase(key, tuple(pairs))
