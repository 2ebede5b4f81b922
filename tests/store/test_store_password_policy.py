"""The password rule and its shipped lists: the lists are the files SOURCES.md describes
(line count and SHA-256 checked against it), and each rule refuses what it should."""

from __future__ import annotations

import gzip
import hashlib
from importlib.resources import files

import pytest

from bassplan.store.password_policy import (
    LISTS,
    MIN_LENGTH,
    PasswordRefused,
    base_word,
    check_password,
    common_passwords,
)

DATA = files("bassplan.store").joinpath("data")


def test_the_lists_are_the_files_sources_md_describes() -> None:
    sources = DATA.joinpath("SOURCES.md").read_text(encoding="utf-8")
    raw = DATA.joinpath(LISTS[0]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() in sources
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert len(lines) == 19_640 and "19,640 common passwords" in sources
    danish = [w for w in DATA.joinpath(LISTS[1]).read_text(encoding="utf-8").splitlines()
              if w and not w.startswith("#")]
    assert len(danish) == 115 and "About 115 Danish words" in sources
    listed = common_passwords()
    assert {"password", "123456", "sommer", "kodeord", "sjælland"} <= listed
    assert "password" in listed and base_word("password1") == "password"


@pytest.mark.parametrize(("word", "base"), [
    ("Sommer2024!", "sommer"), ("!!Kodeord", "kodeord"), ("123456", ""),
    ("korrekt-hest-1", "korrekt-hest"), ("ÆbleGrød_99", "æblegrød"),
])
def test_base_word_drops_leading_and_trailing_digits_and_symbols(word: str, base: str) -> None:
    assert base_word(word) == base


@pytest.mark.parametrize(("password", "key"), [
    ("a" * (MIN_LENGTH - 1), "password_short"),
    ("x" * 1001, "password_long"),
    ("121212121212", "password_repetitive"),
    ("jens-hansens-have", "password_has_username"),
    ("iloveyou2024!", "password_common"),
    ("Velkommen12345", "password_common"),
    ("1q2w3e4r5t6y", "password_common"),
])
def test_each_rule_refuses_with_its_key(password: str, key: str) -> None:
    with pytest.raises(PasswordRefused) as caught:
        check_password(password, "hansen")
    assert caught.value.key == key
    assert caught.value.field == "password" and caught.value.where == "hansen"


@pytest.mark.parametrize("password", [
    "korrekt-hest-batteri", "kaffe og kage hver dag", "Næstved-2030-akutmodtagelse",
    "a9#Qz!w2Lm0x",
])
def test_good_passwords_pass(password: str) -> None:
    check_password(password, "hansen")
