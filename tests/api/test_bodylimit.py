"""The request body bounds' parts: the kind and limit of a body by its Content-Type, and
the vectorised JSON depth against a recursive walk of the parsed document."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from bassplan.api.bodylimit import body_kind, is_json, json_depth
from bassplan.domain import limits


def walked_depth(value: Any) -> int:
    """The nesting of arrays and objects, by walking the parsed document (the oracle)."""
    if isinstance(value, dict):
        return 1 + max((walked_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((walked_depth(v) for v in value), default=0)
    return 0


TRICKY_STRINGS = ['[', ']]]', '{"a": [', '\\', '\\"', '\\\\', '"[', 'a\\\\"b', 'æøå []', '']


def random_document(rng: random.Random, depth: int) -> Any:
    """A random JSON value nesting at most ``depth`` deep, its strings full of brackets,
    quotes and backslashes (the characters a naive count would misread)."""
    choice = rng.random()
    if depth == 0 or choice < 0.3:
        return rng.choice([*TRICKY_STRINGS, 1, 2.5, None, True])
    if choice < 0.65:
        return [random_document(rng, depth - 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(TRICKY_STRINGS) + str(k): random_document(rng, depth - 1)
            for k in range(rng.randint(0, 3))}


@pytest.mark.parametrize("seed", range(200))
def test_depth_equals_the_walked_depth_of_random_documents(seed: int) -> None:
    rng = random.Random(seed)
    document = random_document(rng, rng.randint(0, 12))
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False, indent=1)):
        assert json_depth(text.encode()) == walked_depth(document)


@pytest.mark.parametrize(("text", "depth"), [
    (b"", 0), (b"5", 0), (b'"[[["', 0), (b"[]", 1), (b"[[], {}]", 2),
    (b'{"a\\\\": [1]}', 2),  # an escaped backslash ends the key: the quote after it is real
    (b'["\\"[", [[0]]]', 3),  # an escaped quote does not end the string
])
def test_depth_by_hand(text: bytes, depth: int) -> None:
    assert json_depth(text) == depth


def test_depth_of_a_million_brackets() -> None:
    assert json_depth(b"[" * 1_000_000 + b"]" * 1_000_000) == 1_000_000


@pytest.mark.parametrize(("content_type", "kind", "limit"), [
    ("multipart/form-data; boundary=x", "upload", limits.MAX_UPLOAD_BYTES),
    ("application/x-www-form-urlencoded", "form", limits.MAX_FORM_BODY_BYTES),
    ("Application/JSON; charset=utf-8", "json", limits.MAX_JSON_BODY_BYTES),
    ("text/plain", "json", limits.MAX_JSON_BODY_BYTES),
    (None, "json", limits.MAX_JSON_BODY_BYTES),
])
def test_the_kind_and_limit_of_a_body(content_type: str | None, kind: str, limit: int) -> None:
    assert body_kind(content_type) == (kind, limit)


def test_which_bodies_are_json() -> None:
    assert is_json("application/json") and is_json("application/problem+json; charset=utf-8")
    assert not is_json("text/json") and not is_json(None) and not is_json("application/xml")
