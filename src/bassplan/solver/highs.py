"""New HiGHS models that keep quiet and share the process with other HiGHS users.

Two facts of highspy ≥ 1.16 shape this module:

* the first ``Highs()`` of a process prints a banner ("Running HiGHS …") on file
  descriptor 1 before any option can be set, so a library call would write on the
  caller's stdout; the first construction therefore runs with fd 1 pointed at /dev/null;
* HiGHS keeps one task scheduler per process, sized by the first model that runs. A later
  model that sets ``threads`` to another count fails with status "Not Set". We never set
  ``threads``, so a model of ours runs whatever ran before it (PuLP, spopt, a user's own).

Solver logs are sent, only when asked, to the ``bassplan.solver.highs`` logger at DEBUG level.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

import highspy
from highspy.highs import HighsCallbackEvent

LOG = logging.getLogger("bassplan.solver.highs")

_first_lock = threading.Lock()
_first_done = False


def _construct_quietly() -> highspy.Highs:
    """Construct a Highs object; the process's first one with stdout silenced at fd level."""
    global _first_done  # noqa: PLW0603 - one flag per process, like HiGHS's own banner
    with _first_lock:
        if _first_done:
            return highspy.Highs()  # type: ignore[no-untyped-call]
        sys.stdout.flush()
        saved = os.dup(1)
        sink = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(sink, 1)
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(sink)
        _first_done = True
        return highs


def _forward(event: HighsCallbackEvent) -> None:
    """Send one HiGHS log line to the ``bassplan.solver.highs`` logger."""
    text = str(event.message).rstrip()
    if text:
        LOG.debug(text)


def new_highs(*, verbose: bool | None = None) -> highspy.Highs:
    """Return an empty HiGHS model that prints nothing.

    ``verbose`` (default: whether the ``bassplan.solver.highs`` logger is enabled for DEBUG) turns
    the solver's log on and routes each line to that logger instead of the console.
    """
    highs = _construct_quietly()
    highs.setOptionValue("output_flag", False)
    if verbose is None:
        verbose = LOG.isEnabledFor(logging.DEBUG)
    if verbose:
        highs.setOptionValue("output_flag", True)
        highs.setOptionValue("log_to_console", False)
        highs.cbLogging += _forward
    return highs
