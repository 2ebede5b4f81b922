"""Labels of the word store by key (``bassplan.i18n.words``); kept so ``label`` and ``Lang``
import from where they always have."""

from bassplan.i18n.words import Lang, label

__all__ = ["Lang", "label"]
