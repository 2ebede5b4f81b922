"""A posted page form read into the REST API's request body (so a page accepts exactly what
the API accepts; a refused value is one InputError naming the field), and the outcome of
the change: a redirect, or the form again with the typed values and the reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from bassplan.api.problems import STATUS
from bassplan.domain.errors import BassError, InputError
from bassplan.i18n.words import Lang, label, say_error
from bassplan.store.errors import AlreadyExists, VersionConflict
from bassplan.store.password_policy import RULE_NUMBERS, PasswordRefused
from bassplan.web.pageauth import CSRF_FIELD

Body = TypeVar("Body", bound=BaseModel)


def typed(form: FormData) -> dict[str, str]:
    """Every text field the user sent (not the CSRF token), as typed."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def fields(
    form: FormData, names: Iterable[str], *, optional: Iterable[str] = ()
) -> dict[str, object]:
    """The named fields, trimmed (missing ones as ""), with blank ``optional`` ones as None."""
    sent = typed(form)
    values: dict[str, object] = {name: sent.get(name, "").strip() for name in names}
    for name in optional:
        values[name] = sent.get(name, "").strip() or None
    return values


def parse(schema: type[Body], values: Mapping[str, object], *, kind: str, where: str) -> Body:
    """``values`` checked as the API's body ``schema``; InputError for the first bad field."""
    try:
        return schema.model_validate(dict(values))
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "?"
        raise InputError(kind, where, name, first["msg"]) from None


@dataclass(frozen=True)
class Draft:
    """What the user typed into the form ``form`` (by id) that could not be saved, and why;
    the page shows it again in that form with the message."""

    form: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    message: str = ""

    def value(self, form: str, name: str, default: object = "") -> str:
        """The typed value of field ``name`` if ``form`` is the failed form, else
        ``default`` (None as "")."""
        if form == self.form and name in self.values:
            return self.values[name]
        return "" if default is None else str(default)


def refusal(exc: BassError, lang: Lang, exists: str = "") -> tuple[int, str]:
    """(HTTP status, message) of a change the store refused, as a form says it: the status
    the API gives it; a version conflict in words per record kind, a taken name as
    ``exists`` (if given), bad input with the line naming the field."""
    status = next((code for kind, code, _ in STATUS if isinstance(exc, kind)), 422)
    if isinstance(exc, VersionConflict):
        key = f"form_conflict_{exc.kind}"  # a label per kind of versioned record
        text = label(key, lang)
        return status, (str(exc) if text == key else
                        text.format(current=exc.current, expected=exc.expected))
    if isinstance(exc, AlreadyExists):
        return status, exists or str(exc)
    if isinstance(exc, PasswordRefused):  # the password rule, in the reader's language
        return status, label(exc.key, lang).format(**RULE_NUMBERS)
    line = say_error(exc, lang) if isinstance(exc, InputError) else str(exc)
    return status, f"{label('form_cannot_save', lang)}: {line}"


def attempt(
    action: Callable[[], object],
    *,
    done: str,
    failed: Callable[[int, str], Response],
    lang: Lang,
    exists: str = "",
) -> Response:
    """Run a form's change: on success 303 to ``done`` (Post/Redirect/Get); if the store
    refuses it, ``failed(status, message)`` shows the form again with the reason (409 for a
    version conflict or a taken name, 422 for bad input)."""
    try:
        action()
    except (VersionConflict, AlreadyExists, InputError) as exc:
        return failed(*refusal(exc, lang, exists))
    return RedirectResponse(done, status_code=303)
