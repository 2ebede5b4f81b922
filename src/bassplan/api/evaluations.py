"""Evaluations of stored scenarios on their own region, cached by (name, version, region,
region revision): evaluating is pure, so one result serves every reader until the scenario
or the region's data changes."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request

from bassplan.api.regions import get_regions
from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation, IndicatorDef, Scorecard
from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.store.models import Scenario

CACHE_SIZE = 64  # evaluations kept; one of the bundled region takes a few hundred kB


@dataclass(frozen=True)
class Evaluated:
    """A scenario evaluated, scored, laid out as heat-map colours, and its JSON record (the
    evaluate endpoint's answer, serialised once)."""

    evaluation: Evaluation
    scorecard: Scorecard
    colours: dict[tuple[str, str | None, Perspective], Colour]
    record_json: bytes


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """A small thread-safe LRU; concurrent misses of one key compute it once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[K, threading.Lock] = {}

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value of ``key``, computing (once) and storing it on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = compute()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
                self._key_locks.pop(key, None)
            return value


EvaluationKey = tuple[str, int, str, int]  # (scenario name, version, region id, its revision)


class EvaluationCache(LruCache[EvaluationKey, Evaluated]):
    """Evaluations by (scenario name, version, region id, region revision)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        super().__init__(size)


def evaluate_yaml(
    region: Region, indicators: Sequence[IndicatorDef], yaml_text: str, source: str
) -> Evaluated:
    """Validate scenario YAML against the region, evaluate and score it."""
    from bassplan.domain.results import json_safe
    from bassplan.model.evaluate import evaluate
    from bassplan.scorecard.score import heatmap, score
    from bassplan.store.repository import validate_scenario_yaml
    from bassplan.views.records import evaluation_record

    scenario = validate_scenario_yaml(yaml_text, source=source, region=region)
    evaluation = evaluate(region, scenario)
    scorecard = score(evaluation, indicators)
    record = json_safe(evaluation_record(evaluation, scorecard))
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Evaluated(evaluation, scorecard, heatmap(scorecard), text.encode("utf-8"))


def evaluation_key(request: Request, row: Scenario) -> EvaluationKey:
    """The cache key of the stored scenario ``row`` on its region's current data."""
    return (row.name, row.version, row.region, get_regions(request).revision(row.region))


def get_cache(request: Request) -> EvaluationCache:
    """The app's evaluation cache."""
    cache: EvaluationCache = request.app.state.evaluations
    return cache


CacheDep = Annotated[EvaluationCache, Depends(get_cache)]


def evaluated(request: Request, row: Scenario) -> Evaluated:
    """The evaluation of the stored scenario ``row`` (at its version) on its own region."""
    state = request.app.state
    region = get_regions(request).get(row.region)
    return get_cache(request).get(
        evaluation_key(request, row),
        lambda: evaluate_yaml(region, state.indicators, row.yaml, f"scenario '{row.name}'"))
