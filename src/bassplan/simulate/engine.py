"""One replication of the year: queues of counts, served oldest first, day by day.

No object per patient: each queue is an array of counts by age in working days
[units, classes, max_wait] — the ring of arrival days kept in age order, shifted one step
a day (the last bin pools longer waits) — and follow-ups are counts due per future day
in a ring of ``interval_days`` slots. The only Python loop runs over the days; every step
works on all units at once.

Order of one working day d:
1. follow-ups due today: a share ``avoid_prob`` is answered by PRO without a visit, the
   rest join the follow-up queue; each due one (visit or answer) falls due again
   ``interval_days`` later with probability ``continue_prob``; first visits served on
   day d − 1 start their follow-up chain with the same probability;
2. today's referrals join their priority's queue (age 0);
3. classes are served in service order within the day's clinic minutes, each class
   oldest first, as many whole visits as the minutes left allow (a visit that does not
   fit leaves the minutes to the next class); acute patients left over are seen in
   overtime, within the day's overtime allowance;
4. the backlog (patients still waiting, all classes) is recorded, then ages advance.
A patient seen on the day of arrival waits 0 working days; the queue at the end of day
d satisfies Q(d) = max(Q(d − 1) + A(d) − c(d), 0) for one class of one-minute visits.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.simulate.capacity import daily_capacity
from bassplan.simulate.model import SimulationInput
from bassplan.simulate.outcome import ReplicationResult, replication_result
from bassplan.simulate.sampling import binomial_quantile, poisson_quantile, replication_streams
from bassplan.simulate.trace import YearTrace

_EPS = 1e-9


def _class_minutes(inp: SimulationInput) -> FloatArray:
    """(U, K) minutes per visit of each class: first-visit minutes for referrals."""
    n_classes = len(inp.classes)
    minutes = np.repeat(inp.minutes_first[:, None], n_classes, axis=1)
    minutes[:, inp.follow_up_class] = inp.minutes_follow_up
    result: FloatArray = np.maximum(minutes, _EPS)
    return result


def _serve_counts(
    totals: IntArray, minutes: FloatArray, clinic: FloatArray, overtime: FloatArray,
    acute: int,
) -> tuple[IntArray, FloatArray]:
    """(U, K) visits per class in service order within ``clinic`` minutes, plus acute
    visits in overtime; returns the counts and the overtime minutes used (U,)."""
    left = clinic.copy()
    counts = np.zeros_like(totals)
    for k in range(totals.shape[1]):
        fits = np.floor(left / minutes[:, k] + _EPS).astype(np.int64)
        counts[:, k] = np.minimum(totals[:, k], fits)
        left -= counts[:, k] * minutes[:, k]
    extra = np.minimum(totals[:, acute] - counts[:, acute],
                       np.floor(overtime / minutes[:, acute] + _EPS).astype(np.int64))
    counts[:, acute] += extra
    return counts, extra * minutes[:, acute]


def _oldest_first(queue: IntArray, counts: IntArray) -> IntArray:
    """(U, K, L) how many of each age bin are seen when ``counts`` (U, K) are taken from
    the oldest bin down: a cumulative sum from the oldest end."""
    reverse = queue[..., ::-1]
    before = np.cumsum(reverse, axis=-1) - reverse
    taken = counts[..., None] - before
    np.maximum(taken, 0, out=taken)
    np.minimum(taken, reverse, out=taken)
    result: IntArray = taken[..., ::-1]
    return result


def simulate_year(inp: SimulationInput, seed: int, replication: int) -> YearTrace:
    """Run replication ``replication`` of the year seeded ``seed`` (pure, deterministic)."""
    streams = replication_streams(seed, replication)
    capacity = daily_capacity(inp, streams)
    n_days, n_units, n_classes = inp.day.size, inp.n_units, len(inp.classes)
    width, interval = inp.max_wait_days, inp.interval_days
    referral_classes = np.array([k for k in range(n_classes) if k != inp.follow_up_class])
    mean = (inp.referrals_per_day[None, :, None] * inp.referral_factor[:, None, None]
            * inp.referral_share[referral_classes][None, None, :])
    referrals = poisson_quantile(
        streams.referrals.random((n_days, n_units, referral_classes.size)), mean)
    schedule = poisson_quantile(streams.schedule.random((interval, n_units)),
                                np.broadcast_to(inp.follow_ups_due_per_day, (interval, n_units)))
    u_continue = streams.continuation.random((n_days, n_units))
    u_start = streams.chain_start.random((n_days, n_units))
    u_pro = streams.pro.random((n_days, n_units))
    probs = np.concatenate([inp.continue_prob, inp.avoid_prob, inp.continue_prob])
    minutes = _class_minutes(inp)
    fu = inp.follow_up_class
    first_counted = int(np.argmax(inp.counted)) if inp.counted.any() else n_days

    queue = np.zeros((n_units, n_classes, width), dtype=np.int64)
    served_by_wait = np.zeros_like(queue)
    backlog = np.zeros((n_days, n_units), dtype=np.int64)
    joined = np.zeros((n_units, n_classes), dtype=np.int64)
    visits = np.zeros((n_units, 2), dtype=np.int64)
    avoided_total = np.zeros(n_units, dtype=np.int64)
    acute_overtime = np.zeros(n_units)
    first_served = np.zeros(n_units, dtype=np.int64)

    for d in range(n_days):
        slot = d % interval
        due = schedule[slot].copy()
        trials = np.concatenate([due, due, first_served])
        drawn = np.zeros_like(trials)
        random = (trials > 0) & (probs > 0)
        if random.any():
            uniforms = np.concatenate([u_continue[d], u_pro[d], u_start[d - 1]])
            drawn[random] = binomial_quantile(uniforms[random], trials[random], probs[random])
        carry_on, avoided, started = np.split(drawn, 3)
        schedule[slot] = carry_on  # due again in ``interval`` days
        schedule[(d - 1) % interval] += started  # seen yesterday, due after the interval

        arrived = np.zeros((n_units, n_classes), dtype=np.int64)
        arrived[:, referral_classes] = referrals[d]
        arrived[:, fu] = due - avoided
        queue[..., 0] = arrived
        counts, overtime_used = _serve_counts(
            queue.sum(axis=-1), minutes, capacity.clinic[d], capacity.overtime[d],
            inp.acute_class)
        served = _oldest_first(queue, counts)
        queue -= served
        first_served = counts[:, referral_classes].sum(axis=1)
        if inp.counted[d]:
            cohort = d - first_counted + 1  # ages of patients who arrived in the year
            served_by_wait[..., :cohort] += served[..., :cohort]
            joined += arrived
            visits[:, 0] += first_served
            visits[:, 1] += counts[:, fu]
            avoided_total += avoided
            acute_overtime += overtime_used
        backlog[d] = queue.sum(axis=(1, 2))
        if d == n_days - 1:
            queue[..., n_days - first_counted:] = 0  # arrived before the year: not counted
            break
        # ages advance: the last bin pools everyone who has waited max_wait − 1 days or more
        queue[..., -1] += queue[..., -2]
        queue[..., 1:-1] = queue[..., :-2]
        queue[..., 0] = 0

    counted = inp.counted
    km = (visits * inp.km_per_visit).sum(axis=1)
    video = capacity.ward_items[counted].sum(axis=0) * inp.ward_km_saved
    return YearTrace(
        served_by_wait=served_by_wait,
        waiting_at_end=queue,
        backlog=backlog,
        joined=joined,
        visits=visits,
        avoided=avoided_total,
        acute_overtime_minutes=acute_overtime,
        ward_overtime_minutes=capacity.ward_overtime[counted].sum(axis=0),
        patient_km_saved=km,
        staff_km_saved=video.sum(axis=1),
        capacity=capacity,
    )


def run_replication(inp: SimulationInput, seed: int, replication: int) -> ReplicationResult:
    """Replication ``replication`` of a run seeded ``seed``, reduced per specialty. Pure and
    deterministic: the same (input, seed, replication) always gives the same result."""
    return replication_result(inp, simulate_year(inp, seed, replication), replication)
