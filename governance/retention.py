"""Retention (UU 27/2022): what each app deletes when its time is up, run by one scheduled task.

Each app registers a sweep in its ``AppConfig.ready``. A sweep is called inside one institution's
scope, deletes what is due in small batches (each in its own transaction, files removed after the
commit) and says how many of what it deleted, or — on a dry run — would delete, with a short list
of what (case numbers, never personal data). After the sweeps the run writes one audit entry for
the institution naming the counts only; a sweep's ``settle`` marks, in that same transaction, what
the entry counted, so that a run killed before its entry is counted by the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from .audit import log_action
from .models import Institution


@dataclass
class SweepResult:
    counts: dict[str, int] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class RetentionSweep:
    key: str
    sweep: Callable[..., SweepResult]  # sweep(institution, *, dry_run: bool) -> SweepResult
    settle: Callable[[Institution], None] | None = None
    order: int = 100


_sweeps: dict[str, RetentionSweep] = {}


def register_retention(sweep: RetentionSweep) -> None:
    _sweeps[sweep.key] = sweep


def registered_sweeps() -> list[RetentionSweep]:
    return sorted(_sweeps.values(), key=lambda s: (s.order, s.key))


def apply_retention(institution: Institution, *, dry_run: bool = False) -> dict[str, SweepResult]:
    """Run every sweep for one institution (inside its scope). The task and ``manage.py retention``
    both call this; a dry run changes nothing and writes no audit entry."""
    results = {sweep.key: sweep.sweep(institution, dry_run=dry_run) for sweep in registered_sweeps()}
    counts = {f"{key}.{name}": number for key, result in results.items()
              for name, number in result.counts.items() if number}
    if counts and not dry_run:
        with transaction.atomic():
            log_action(action="governance.retention.applied", institution=institution, data={"deleted": counts})
            for sweep in registered_sweeps():
                if sweep.settle is not None:
                    sweep.settle(institution)
    return results
