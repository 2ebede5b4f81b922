"""Read YAML within bounds: size, nesting depth, alias uses and nodes after alias expansion.

PyYAML shares an aliased node rather than copying it, so a "billion laughs" document of a few
hundred bytes parses quickly — and then explodes when anything walks it (validation, repr,
JSON). The event stream is checked first, in constant memory per event, counting what every
alias would expand to; only a document within all bounds is built.
"""

from __future__ import annotations

from typing import Any

import yaml

from bassplan.domain import limits
from bassplan.domain.errors import InputError

# libyaml's parser where installed (PyYAML's own scanner is quadratic in the nesting of flow
# collections: 1 s for 10,000 '['), else PyYAML's
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}" if mark is not None else ""


def check_events(text: str, source: str) -> None:
    """Walk the YAML event stream of ``text``; raise InputError at the first broken bound."""
    depth = 0
    nodes = 0  # nodes of the document with every alias expanded
    aliases = 0
    size_of: dict[str, int] = {}  # anchor → nodes it expands to
    open_anchors: list[tuple[str | None, int]] = []  # (anchor, nodes before it) per open node
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.MAX_YAML_ALIASES:
                raise InputError(source, _where(event), "(yaml)",
                                 f"more than {limits.MAX_YAML_ALIASES} aliases")
            if event.anchor not in size_of:
                raise InputError(source, _where(event), "(yaml)",
                                 f"alias *{event.anchor} names no finished anchor")
            nodes += size_of[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor is not None:
                size_of[event.anchor] = 1
        elif isinstance(event, _OPEN):
            depth += 1
            if depth > limits.MAX_YAML_DEPTH:
                raise InputError(source, _where(event), "(yaml)",
                                 f"nested deeper than {limits.MAX_YAML_DEPTH} levels")
            open_anchors.append((event.anchor, nodes))
            nodes += 1
        elif isinstance(event, _CLOSE):
            depth -= 1
            anchor, before = open_anchors.pop()
            if anchor is not None:
                size_of[anchor] = nodes - before
        else:
            continue
        if nodes > limits.MAX_YAML_NODES:
            raise InputError(source, _where(event), "(yaml)",
                             f"expands to more than {limits.MAX_YAML_NODES} values "
                             "(aliases included)")


def _syntax_error(source: str, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    if "maximum nesting depth" in problem:  # libyaml's own bound (1,000), met looking ahead
        return InputError(source, where, "(yaml)",
                          f"nested deeper than {limits.MAX_YAML_DEPTH} levels")
    return InputError(source, where, "(yaml)", f"not valid YAML: {problem}")


def load_bounded(text: str, source: str) -> Any:
    """Parse one YAML document from ``text`` after checking every bound of ``limits``."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_YAML_BYTES:
        raise InputError(source, "", "(file)",
                         f"larger than {limits.MAX_YAML_BYTES:,} bytes ({size:,})")
    try:
        check_events(text, source)
        return yaml.load(text, Loader=LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise _syntax_error(source, exc) from None
