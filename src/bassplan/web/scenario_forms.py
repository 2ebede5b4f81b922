"""The scenario pages' form input turned into scenario YAML: simple levers per specialty
(strength positions, digital and PRO shares) built through the ``Scenario`` model, an
uploaded or pasted YAML text, and a stored text given a new name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from bassplan.data.scenario_loader import scenario_yaml, validation_error
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region, Site
from bassplan.domain.scenario import Scenario
from bassplan.domain.vocabulary import ContactType
from bassplan.store.repository import validate_scenario_yaml

LEVER_SOURCE = "scenario form"
UPLOAD_SOURCE = "uploaded YAML"


@dataclass
class LeverForm:
    """What the lever form shows (and keeps after an error): the text typed per field and,
    per specialty, the strength-position site ids ticked."""

    name: str = ""
    description: str = ""
    year: str = ""
    sites: dict[str, list[str]] = field(default_factory=dict)
    digital: dict[str, str] = field(default_factory=dict)
    pro: dict[str, str] = field(default_factory=dict)


def acute_sites(region: Region) -> list[Site]:
    """The sites a specialty can hold a strength position at in the form: active acute ones."""
    return [site for site in region.sites if site.active and site.acute]


def text(form: FormData, key: str) -> str:
    """A text field of the form ('' when absent or a file); Windows line ends made Unix."""
    value = form.get(key)
    return value.replace("\r\n", "\n") if isinstance(value, str) else ""


def default_levers(region: Region, year: int) -> LeverForm:
    """The empty form: every active acute site ticked (today's spread), no digital, no PRO."""
    ids = [site.id for site in acute_sites(region)]
    specs = [s.id for s in region.specialties]
    return LeverForm(year=str(year), sites={s: list(ids) for s in specs},
                     digital=dict.fromkeys(specs, "0"), pro=dict.fromkeys(specs, "0"))


def read_levers(form: FormData, region: Region) -> LeverForm:
    """The lever form as posted (fields ``name``, ``description``, ``year`` and, per
    specialty id S, checkboxes ``sp_S`` and percentages ``digital_S`` and ``pro_S``)."""
    specs = [s.id for s in region.specialties]
    return LeverForm(
        name=text(form, "name").strip(),
        description=text(form, "description").strip(),
        year=text(form, "year").strip(),
        sites={s: [v for v in form.getlist(f"sp_{s}") if isinstance(v, str)] for s in specs},
        digital={s: text(form, f"digital_{s}").strip() for s in specs},
        pro={s: text(form, f"pro_{s}").strip() for s in specs},
    )


def _number(value: str, where: str, key: str, *, whole: bool = False) -> float:
    """A typed number (a decimal comma accepted); InputError naming the field if not one."""
    try:
        number = float(value.replace(",", ".")) if value else 0.0
    except ValueError:
        raise InputError(LEVER_SOURCE, where, key, f"'{value}' is not a number") from None
    if whole and not number.is_integer():
        raise InputError(LEVER_SOURCE, where, key, f"'{value}' is not a whole number")
    return number


def levers_scenario(levers: LeverForm, region: Region) -> Scenario:
    """The scenario the levers describe: strength positions listed where not every active
    acute site is ticked, follow-ups' digital share and the PRO share where above 0 %."""
    acute = [site.id for site in acute_sites(region)]
    if not levers.year:
        raise InputError(LEVER_SOURCE, "", "year", "required key is missing")
    data: dict[str, Any] = {"name": levers.name, "description": levers.description,
                            "year": int(_number(levers.year, "", "year", whole=True))}
    positions: dict[str, list[str]] = {}
    digital: dict[str, dict[str, float]] = {}
    pro: dict[str, dict[str, float]] = {}
    for spec in (s.id for s in region.specialties):
        ticked = [site for site in acute if site in levers.sites.get(spec, [])]
        if ticked != acute:
            positions[spec] = ticked  # none ticked: the region check names the specialty
        share = _number(levers.digital.get(spec, ""), f"digital_share.{spec}", f"digital_{spec}")
        if share:
            digital[spec] = {ContactType.FOLLOW_UP.value: share / 100}
        share = _number(levers.pro.get(spec, ""), f"need_based_follow_up.{spec}", f"pro_{spec}")
        if share:
            pro[spec] = {"pro_share": share / 100}
    data.update(strength_positions=positions, digital_share=digital, need_based_follow_up=pro)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(LEVER_SOURCE, exc) from None


def levers_yaml(levers: LeverForm, region: Region) -> str:
    """The levers as scenario YAML, checked against the region (InputError naming the key)."""
    scenario = levers_scenario(levers, region)
    text_ = scenario_yaml(scenario)
    validate_scenario_yaml(text_, source=LEVER_SOURCE, region=region)
    return text_


def posted_yaml(form: FormData) -> str:
    """The YAML of the upload form: the file chosen in ``yaml_file``, else the text pasted in
    ``yaml_text``; InputError if neither holds anything or the file is not UTF-8 text."""
    upload = form.get("yaml_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = upload.file.read(limits.MAX_YAML_BYTES + 1)
        source = upload.filename
        if len(raw) > limits.MAX_YAML_BYTES:
            raise InputError(source, "", "yaml_file",
                             f"larger than {limits.MAX_YAML_BYTES:,} bytes")
        try:
            content = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise InputError(source, "", "yaml_file", "is not UTF-8 text") from None
        if content.strip():
            return content
    pasted = text(form, "yaml_text")
    if not pasted.strip():
        raise InputError(UPLOAD_SOURCE, "", "yaml_file", "choose a file or paste the YAML")
    return pasted
