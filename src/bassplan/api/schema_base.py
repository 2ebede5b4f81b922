"""What every request and response body shares: dates only as YYYY-MM-DD, ids a database
holds, bounded text, no true/false for numbers, and no text a database cannot store."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from bassplan.domain import limits
from bassplan.domain.text import storable
from bassplan.store.password_policy import MIN_DISTINCT, MIN_LENGTH

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A date as the schema says (YYYY-MM-DD), or a date; pydantic alone would also take
    a number of seconds since 1970, which no client means."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
MAX_ROW_ID = 2**31 - 1  # the largest id or version every supported database stores
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
Code = Annotated[str, Field(max_length=limits.MAX_NAME_CHARS)]  # a role, status or id
Text = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS)]  # a description or decision
ScenarioYaml = Annotated[str, Field(min_length=1, max_length=limits.MAX_YAML_BYTES)]
ScenarioName = Annotated[str, Field(min_length=1, max_length=limits.MAX_NAME_CHARS)]
PASSWORD_RULE = (f"At least {MIN_LENGTH} characters, {MIN_DISTINCT} of them different, "
                 "not containing the username, and not a common password (422 names the "
                 "rule a refused password breaks).")


class PublicSchema(BaseModel):
    """A response body read from the store's objects."""

    model_config = ConfigDict(from_attributes=True)


def _takes_bool(annotation: Any) -> bool:
    """Whether a field of this type is a yes/no (bool, or bool or None)."""
    return annotation is bool or bool in get_args(annotation)


class BodySchema(BaseModel):
    """A request body: unknown fields, true/false for numbers and unstorable text refused."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_number(cls, value: Any, info: ValidationInfo) -> Any:
        """true/false only where the schema says boolean: pydantic alone reads them as 1
        and 0 in a number field."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and not _takes_bool(field.annotation):
            raise ValueError("must not be true or false")
        return value

    @field_validator("*")
    @classmethod
    def _storable(cls, value: object) -> object:
        """Text a database cannot hold (NUL, a lone surrogate) is refused by field name."""
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str):
                storable(item)
        return value
