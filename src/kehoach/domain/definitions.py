"""A plan and its units as one value: what every rule, count and report reads, and nothing more.

Domain code takes this, never a tracker: a tracker adds where the files are, which rules do not need.
A NamedTuple, as the model's values are: a frozen dataclass costs ~0.5 ms of start-up to generate.
"""

from __future__ import annotations

from typing import NamedTuple

from kehoach.domain.model import Plan, Task
from kehoach.domain.registry import Registry


class Definitions(NamedTuple):
    plan: Plan
    registry: Registry

    def task_positions(self) -> dict[str, int]:
        """Task id -> its place in the plan: the order records are written and listed in."""
        return {task.id: task.order for task in self.plan.tasks}

    def task(self, task_id: str) -> Task | None:
        return self.plan.task(task_id)
