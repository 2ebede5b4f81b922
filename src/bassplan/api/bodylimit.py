"""Bound every request body before the app reads it: by its kind (a multipart upload, a page
form, anything else counted as JSON), refused at once when Content-Length says it is too
large and as soon as the streamed (chunked) bytes pass the limit otherwise; a JSON body is
also refused when nested deeper than ``limits.MAX_JSON_DEPTH``.

A refusal is answered by the app's own exception handler (problem JSON on /api, a page in
the reader's language on pages), so the answer looks like every other error. Memory is
bounded by the limit: a JSON body is held whole (≤ 2 MB) to measure its depth; a form or an
upload streams through, counted.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bassplan.domain import limits
from bassplan.domain.errors import InputError

_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1
_MARKS = _DEPTH_STEP != 0  # the bytes json_depth looks at: brackets and the quote
_MARKS[ord('"')] = True


class BodyTooLarge(StarletteHTTPException):
    """A request body larger than the limit of its kind (HTTP 413)."""

    def __init__(self, kind: str, limit: int) -> None:
        self.kind = kind  # upload, form or json
        self.limit = limit  # bytes
        super().__init__(413, f"The request body is larger than the {limit:,} bytes allowed "
                              f"for {_KIND_NAMES[kind]}")


_KIND_NAMES = {"upload": "a multipart upload", "form": "a form", "json": "a JSON body"}


class _Overflow(Exception):  # noqa: N818 (an internal signal, not an error a caller sees)
    """Raised from ``receive`` when the streamed body passes its limit."""


def body_kind(content_type: str | None) -> tuple[str, int]:
    """(kind, limit in bytes) of a body with this Content-Type: a multipart upload, a
    urlencoded form, or anything else held to the JSON limit."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        return "upload", limits.MAX_UPLOAD_BYTES
    if media == "application/x-www-form-urlencoded":
        return "form", limits.MAX_FORM_BODY_BYTES
    return "json", limits.MAX_JSON_BODY_BYTES


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI would parse a body of this Content-Type as JSON."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (0 for a bare value), in time
    linear in its length: escaped backslashes and quotes are dropped (bytes.replace, left to
    right as a JSON reader pairs them), so every quote left opens or closes a string; the
    brackets outside strings step the depth up or down (vectorised over those bytes only)."""
    bare = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    text = np.frombuffer(bare, dtype=np.uint8)
    codes = text[_MARKS[text]]  # quotes and brackets, in order
    quote = codes == ord('"')
    inside = (np.cumsum(quote, dtype=np.int32) - quote) % 2 == 1  # after an odd count of quotes
    steps = np.where(inside, 0, _DEPTH_STEP[codes])
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0))


class BodyLimit:
    """ASGI middleware holding request bodies to ``limits`` (see the module docstring);
    ``owner`` is the app whose exception handlers answer a refusal."""

    def __init__(self, app: ASGIApp, owner: Any) -> None:
        self.app = app
        self.owner = owner

    async def refuse(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """Answer ``exc`` with the owner's handler for its kind (pages or problem JSON)."""
        handlers = self.owner.exception_handlers
        handler = next(handlers[kind] for kind in type(exc).__mro__ if kind in handlers)
        response = await handler(Request(scope, receive), exc)
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse by Content-Length at once, else read JSON whole or stream the rest."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        kind, limit = body_kind(headers.get("content-type"))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self.refuse(scope, receive, send, BodyTooLarge(kind, limit))
            return
        if kind == "json" and is_json(headers.get("content-type")):
            await self._json(scope, receive, send, limit)
        else:
            await self._streamed(scope, receive, send, kind, limit)

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the JSON body whole (≤ ``limit``), check its depth, then hand it on."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees an empty body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self.refuse(scope, receive, send, BodyTooLarge("json", limit))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_depth(body) > limits.MAX_JSON_DEPTH:
            error = InputError("request body", "", "(json)",
                               f"nested deeper than {limits.MAX_JSON_DEPTH} levels")
            await self.refuse(scope, receive, send, error)
            return
        given = False

        async def replay() -> Message:
            nonlocal given
            if given:
                return await receive()  # after the body: wait for a disconnect
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, kind: str,
                        limit: int) -> None:
        """Pass the body through, counting; past ``limit`` the app's reading fails, what
        it would answer is dropped, and the refusal is sent instead."""
        size = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal size, over
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    over = True
                    raise _Overflow
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a broken read; ours follows
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over or started:
                raise
        if over and not started:
            await self.refuse(scope, receive, send, BodyTooLarge(kind, limit))
