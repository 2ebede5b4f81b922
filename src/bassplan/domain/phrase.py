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
