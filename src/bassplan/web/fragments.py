"""Rendered parts of pages that depend only on a scenario's evaluation, the page's choices
and the language (never on the reader), kept so that many readers cost one rendering."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from markupsafe import Markup

from bassplan.api.evaluations import LruCache
from bassplan.web.render import ENV

FRAGMENTS = 512  # kept parts; a map part is about 60 kB, a scorecard part about 250 kB


class FragmentCache(LruCache[Hashable, Markup]):
    """Rendered HTML parts by (template, language, key)."""

    def __init__(self, size: int = FRAGMENTS) -> None:
        super().__init__(size)


def fragment(request: Request, key: Hashable, template: str,
             context: Callable[[], dict[str, Any]]) -> Markup:
    """``template`` rendered with ``context()`` (and the labels of the page's language),
    kept under ``key`` in the app's fragment cache."""
    from bassplan.web.render import Labels, page_lang

    cache: FragmentCache = request.app.state.fragments
    lang = page_lang(request)

    def build() -> Markup:
        html = ENV.get_template(template).render(L=Labels(lang), lang=lang, **context())
        return Markup(html)

    return cache.get((template, lang, key), build)
