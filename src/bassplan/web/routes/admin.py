"""Administration (admins only): the audit trail newest first, each change shown field by
field, and the users (create, change role, deactivate, end their login sessions) with
every user's API tokens (revoke), through the API's store calls."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bassplan.api.deps import ClockDep, SessionsDep
from bassplan.api.schema_base import MAX_ROW_ID, RowId
from bassplan.api.schemas import UserCreate, UserUpdate
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME
from bassplan.domain import limits
from bassplan.i18n.labels import Lang, label
from bassplan.i18n.words import say, word_table
from bassplan.store import accounts
from bassplan.store.audit import audit_entities, list_audit
from bassplan.store.errors import NotFound
from bassplan.store.login_sessions import end_sessions, open_session_counts
from bassplan.store.models import USER_ROLES, AuditEntry
from bassplan.store.password_policy import MIN_LENGTH
from bassplan.web.formparse import Draft, attempt, fields, parse, typed
from bassplan.web.localtime import LOCAL_ZONE, format_date, format_time
from bassplan.web.pageauth import CheckedForm, PageAdmin
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
SUMMARY_CHARS = 40  # characters of one value in an audit entry's summary line
NAME_FIELDS = ("name", "title", "username", "display_name", "filename")  # what names a record
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")  # an ISO moment as the store keeps it
USER_OK_KEYS = frozenset({"users_created", "users_role_changed", "users_active_changed",
                          "users_sessions_ended", "users_token_revoked"})


# --- audit trail ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    """One change as the trail shows it: who, when, what, and the changed fields."""

    entry: AuditEntry
    who: str
    when: str
    action: str
    entity: str
    changes: list[tuple[str, str, str, str]]  # (field, its label, before, after)
    summary: str = ""  # the change in one short line; the table is behind 'show all'


def shown(value: object, lang: Lang) -> str:
    """A stored field value as text: "–" for none, ja/nej for truth values; cut after
    ``limits.MAX_SHOWN_CHARS`` characters, saying how many more there are (the whole value
    is in /api/audit)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, str) and STAMP.match(value):  # a stored moment: local time
        try:
            return format_time(datetime.fromisoformat(value), lang)
        except ValueError:
            pass
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    if len(text) > limits.MAX_SHOWN_CHARS:  # a scenario's YAML: the page stays small
        more = len(text) - limits.MAX_SHOWN_CHARS
        return text[:limits.MAX_SHOWN_CHARS] + say("audit_value_cut", lang, more=more)
    return text


def changed_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None, lang: Lang
) -> list[tuple[str, str, str, str]]:
    """(field, its label, before, after) of every field a change touched: all of a created
    or deleted record's fields, only the differing ones of an update."""
    old, new = before or {}, after or {}
    names = list(dict.fromkeys([*old, *new]))
    return [(name, field_label(name, lang), shown(old[name], lang) if name in old else "",
             shown(new[name], lang) if name in new else "")
            for name in names
            if before is None or after is None or old.get(name) != new.get(name)]


def field_label(name: str, lang: Lang) -> str:
    """A stored field's name as the reader says it (``audit_field_<name>`` in the word
    store; a field without a word keeps its name)."""
    key = f"audit_field_{name}"
    return label(key, lang) if key in word_table() else name


def _cut(text: str) -> str:
    """One value for the summary line: its first line, at most ``SUMMARY_CHARS`` characters
    ('–' for none)."""
    if not text:
        return "–"
    first = text.splitlines()[0]
    cut = first[:SUMMARY_CHARS]
    return cut + "…" if cut != text else cut


def change_summary(action: str, record: dict[str, Any] | None,
                   changes: list[tuple[str, str, str, str]], lang: Lang) -> str:
    """The change in one line: an update's first changed fields 'field: before → after',
    a created or deleted record by its name (when it has one) and how many fields it has."""
    if action == "update":
        parts = [f"{name}: {_cut(old)} → {_cut(new)}" for _, name, old, new in changes[:3]]
        more = len(changes) - len(parts)
        return "; ".join(parts) + (say("audit_more_fields", lang, more=more) if more else "")
    name = next((str(record[k]) for k in NAME_FIELDS if record and record.get(k)), "")
    fields_text = say("audit_fields", lang, count=len(changes))
    return f"{_cut(name)} · {fields_text}" if name else fields_text


def _json(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


def audit_row(entry: AuditEntry, usernames: dict[int, str], lang: Lang) -> AuditRow:
    """The trail's row of one entry."""
    who = usernames.get(entry.user_id, str(entry.user_id)) if entry.user_id is not None \
        else label("audit_system", lang)
    before, after = _json(entry.before), _json(entry.after)
    changes = changed_fields(before, after, lang)
    return AuditRow(entry=entry, who=who, when=format_time(entry.at, lang),
                    action=label(f"action_{entry.action}", lang),
                    entity=label(f"entity_{entry.entity}", lang), changes=changes,
                    summary=change_summary(entry.action, after or before, changes, lang))


@router.get("/revision", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: PageAdmin,
    sessions: SessionsDep,
    entitet: str | None = None,
    bruger: str | None = None,
    side: Annotated[int, Query(ge=1, le=MAX_ROW_ID // PER_PAGE)] = 1,
) -> HTMLResponse:
    """One page of the audit trail, optionally of one kind of record and one user."""
    lang = page_lang(request)
    users = accounts.list_users(sessions)
    usernames = {u.id: u.username for u in users}
    user_id = None
    if bruger:
        user_id = next((u.id for u in users if u.username == bruger), None)
        if user_id is None:
            raise NotFound("user", bruger)
    entries = list_audit(sessions, limit=PER_PAGE + 1, offset=(side - 1) * PER_PAGE,
                         entity=entitet or None, user_id=user_id)
    filters = {k: v for k, v in (("entitet", entitet), ("bruger", bruger)) if v}

    def page_href(number: int) -> str:
        return "/revision?" + urlencode({**filters, "side": number})

    return render(
        request, "audit.html",
        rows=[audit_row(e, usernames, lang) for e in entries[:PER_PAGE]],
        entities=[(e, label(f"entity_{e}", lang)) for e in audit_entities(sessions)],
        usernames=sorted(usernames.values()), entitet=entitet or "", bruger=bruger or "",
        side=side, newer=page_href(side - 1) if side > 1 else "",
        older=page_href(side + 1) if len(entries) > PER_PAGE else "",
    )


# --- users ------------------------------------------------------------------------------


def users_page_response(
    request: Request, sessions: sessionmaker[Session], *, ok: str = "",
    draft: Draft | None = None, status: int = 200,
) -> HTMLResponse:
    """The users page, with a confirmation or a failed form shown again."""
    lang = page_lang(request)
    settings: Settings = request.app.state.settings
    now = request.app.state.clock()
    open_sessions = open_session_counts(sessions, now=now, timeouts=settings.session_timeouts())
    tokens = [(t, t.state(now), format_time(t.created_at, lang),
               format_time(t.expires_at, lang),
               format_time(t.last_used_at, lang) if t.last_used_at else "–")
              for t in accounts.list_tokens(sessions)]
    return render(request, "users.html", status=status, users=accounts.list_users(sessions),
                  roles=USER_ROLES, ok=ok, draft=draft or Draft(),
                  created=lambda u: format_date(u.created_at.astimezone(LOCAL_ZONE).date(), lang),
                  in_path=lambda name: quote(name, safe=""), open_sessions=open_sessions,
                  tokens=tokens, min_password=MIN_LENGTH)


@router.get("/brugere", response_class=HTMLResponse)
def users_page(
    request: Request, user: PageAdmin, sessions: SessionsDep, ok: str | None = None
) -> HTMLResponse:
    """Every user with forms to add one, change a role and deactivate."""
    return users_page_response(request, sessions, ok=ok if ok in USER_OK_KEYS else "")


def _run(request: Request, sessions: sessionmaker[Session], form: FormData, form_id: str,
         action: Callable[[], object], *, ok: str, exists: str = "") -> Response:
    """Do ``action``; back to the users page, or the page again with the form as typed
    (never the password)."""

    def failed(status: int, message: str) -> Response:
        values = {k: v for k, v in typed(form).items() if k != "password"}
        return users_page_response(request, sessions, status=status,
                                   draft=Draft(form_id, values, message))

    return attempt(action, done=f"/brugere?ok={ok}", failed=failed, lang=page_lang(request),
                   exists=exists)


@router.post("/brugere")
def user_create(request: Request, form: CheckedForm, user: PageAdmin,
                sessions: SessionsDep) -> Response:
    """Create an active user with a role."""
    values = fields(form, ("username", "display_name", "role"))
    values["password"] = typed(form).get("password", "")

    def act() -> None:
        body = parse(UserCreate, values, kind="user", where="new")
        accounts.create_user(sessions, username=body.username, display_name=body.display_name,
                             password=body.password, role=body.role, actor_id=user.id)

    exists = label("users_exists", page_lang(request)).format(name=values["username"])
    return _run(request, sessions, form, "user-form", act, ok="users_created", exists=exists)


@router.post("/brugere/{username}/rolle")
def user_role(username: str, request: Request, form: CheckedForm, user: PageAdmin,
              sessions: SessionsDep) -> Response:
    """Give a user another role."""
    values = fields(form, ("role",))

    def act() -> None:
        body = parse(UserUpdate, values, kind="user", where=username)
        accounts.set_role(sessions, username=username, role=body.role, actor_id=user.id)

    return _run(request, sessions, form, f"user-role-{username}", act, ok="users_role_changed")


@router.post("/brugere/{username}/aktiv")
def user_active(username: str, request: Request, form: CheckedForm, user: PageAdmin,
                sessions: SessionsDep) -> Response:
    """Deactivate a user (active=0: they can no longer log in or use tokens) or activate."""
    values = fields(form, ("active",))

    def act() -> None:
        body = parse(UserUpdate, values, kind="user", where=username)
        accounts.set_role(sessions, username=username, active=body.active, actor_id=user.id)

    return _run(request, sessions, form, f"user-active-{username}", act,
                ok="users_active_changed")


@router.post("/brugere/{username}/sessioner")
def user_end_sessions(username: str, request: Request, form: CheckedForm, user: PageAdmin,
                      sessions: SessionsDep, clock: ClockDep) -> Response:
    """End every login session of a user at once (audited)."""

    def act() -> None:
        end_sessions(sessions, username=username, now=clock(), actor_id=user.id)

    return _run(request, sessions, form, f"user-sessions-{username}", act,
                ok="users_sessions_ended")


@router.post("/brugere/sessioner")
def all_end_sessions(request: Request, form: CheckedForm, user: PageAdmin,
                     sessions: SessionsDep, clock: ClockDep) -> Response:
    """End every login session of every user except this admin's own (audited)."""

    def act() -> None:
        end_sessions(sessions, username=None, now=clock(), actor_id=user.id,
                     keep=request.cookies.get(COOKIE_NAME))

    return _run(request, sessions, form, "sessions-all", act, ok="users_sessions_ended")


@router.post("/brugere/noegler/{token_id}/tilbagekald")
def user_token_revoke(token_id: Annotated[RowId, Path()], request: Request, form: CheckedForm,
                      user: PageAdmin, sessions: SessionsDep, clock: ClockDep) -> Response:
    """Revoke any user's API token (audited)."""

    def act() -> None:
        accounts.revoke_token(sessions, token_id=token_id, actor=user, now=clock())

    return _run(request, sessions, form, f"token-{token_id}", act, ok="users_token_revoked")
