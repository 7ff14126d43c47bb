"""Units and groups: finding them by what a clerk types, and who is responsible for a task on a date."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from kehoach.domain.model import Group, Task, Unit
from kehoach.domain.suggest import closest
from kehoach.domain.text import fold, matches_words, slug
from kehoach.errors import InputError


def did_you_mean(units: list[Unit]) -> str:
    """" Có phải: Sở Tư pháp (so-tu-phap)?", or nothing when no unit is close."""
    if not units:
        return ""
    return " Có phải: " + " hay ".join(f"{unit.name} ({unit.id})" for unit in units) + "?"


class FoundUnit(NamedTuple):
    unit: Unit
    note: str | None  # why this unit, when the day chose between namesakes


@dataclass
class Registry:
    units: dict[str, Unit]
    groups: dict[str, Group]
    _keys: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _members: dict[str, list[Unit]] = field(default_factory=dict, repr=False)
    _responsible: dict[tuple[str, int], list[Unit]] = field(default_factory=dict, repr=False)
    _responsible_by_id: dict[tuple[str, int], dict[str, Unit]] = field(default_factory=dict, repr=False)
    _boundaries: list[dt.date] | None = field(default=None, repr=False)
    _members_on: dict[tuple[str, dt.date], list[Unit]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for gid in unit.groups:
                self._members.setdefault(gid, []).append(unit)

    # --- lookup -----------------------------------------------------------------------------
    def _lookup_keys(self) -> dict[str, set[str]]:
        """Folded names -> unit ids; made on the first lookup by name, which most commands never do."""
        if not self._keys:
            for unit in self.units.values():
                for name in (unit.id, unit.name, *unit.short):
                    self._keys.setdefault(fold(name), set()).add(unit.id)
        return self._keys

    def find_unit(self, query: str, on: dt.date | None = None) -> Unit:
        """By id, name or abbreviation, with or without diacritics; unique substring as a last resort.
        Given a day, a name shared by a dissolved unit and one existing that day means the living one."""
        return self.find_unit_on(query, on).unit

    def find_unit_on(self, query: str, on: dt.date | None = None) -> FoundUnit:
        """`find_unit`, with the sentence to show when the day decided between units of one name."""
        if query in self.units:
            return FoundUnit(self.units[query], None)
        key = fold(query)
        keys = self._lookup_keys()
        found = keys.get(key) or keys.get(slug(query)) or set()
        if not found:
            found = {u.id for u in self.search(query)}
        if not found:
            raise InputError(f"không tìm thấy đơn vị '{query}'.{self._unit_suggestion(query)} Xem danh sách "
                             "đơn vị: kehoach units")
        if len(found) > 1 and on is not None:
            living = [uid for uid in sorted(found) if self.units[uid].exists_on(on)]
            if len(living) == 1:
                unit = self.units[living[0]]
                others = "; ".join(f"{self.units[uid].name} ({uid})" for uid in sorted(found) if uid != unit.id)
                return FoundUnit(unit, f"'{query}' cũng là tên của {others}, không tồn tại vào ngày "
                                       f"{on.day:02d}/{on.month:02d}/{on.year}; dùng {unit.name} ({unit.id}).")
        if len(found) > 1:
            names = "; ".join(f"{uid} ({self.units[uid].name})" for uid in sorted(found)[:12])
            more = f" và {len(found) - 12} đơn vị khác" if len(found) > 12 else ""
            raise InputError(f"'{query}' khớp với nhiều đơn vị: {names}{more}. Hãy dùng mã đơn vị.")
        return FoundUnit(self.units[next(iter(found))], None)

    def closest_units(self, query: str) -> list[Unit]:
        """The units whose id, name or short name is closest to a mistyped one, best first."""
        candidates = [(name, unit.id) for unit in self.units.values() for name in (unit.name, *unit.short, unit.id)]
        return [self.units[uid] for uid in closest(query, candidates)]

    def _unit_suggestion(self, query: str) -> str:
        """" Có phải: Sở Tư pháp (so-tu-phap)?" for the units whose names are closest to a typo."""
        return did_you_mean(self.closest_units(query))

    def find_group(self, query: str) -> Group:
        if query in self.groups:
            return self.groups[query]
        key = fold(query)
        found = [g for g in self.groups.values() if key in (fold(g.name), g.id) or slug(query) == g.id]
        if not found:
            found = [g for g in self.groups.values() if matches_words(query, g.name)]
        if not found:
            known = ", ".join(sorted(self.groups))
            meant = closest(query, [(name, g.id) for g in self.groups.values() for name in (g.id, g.name)], limit=1)
            guess = f" Có phải: {self.groups[meant[0]].name} ({meant[0]})?" if meant else ""
            raise InputError(f"không tìm thấy nhóm '{query}'.{guess} Các nhóm: {known}")
        if len(found) > 1:
            names = "; ".join(f"{g.id} ({g.name})" for g in found)
            raise InputError(f"'{query}' khớp với nhiều nhóm: {names}. Hãy dùng mã nhóm.")
        return found[0]

    def search(self, text: str) -> list[Unit]:
        if not text.strip():
            return []
        return [u for u in self.units.values()
                if any(matches_words(text, name) for name in (u.id, u.name, *u.short))]

    # --- membership on a date -----------------------------------------------------------------
    def members(self, group_id: str, day: dt.date) -> list[Unit]:
        key = (group_id, day)
        known = self._members_on.get(key)
        if known is None:
            known = self._members_on[key] = [u for u in self._members.get(group_id, []) if u.exists_on(day)]
        return list(known)

    def successors_on(self, unit: Unit, day: dt.date) -> list[Unit]:
        """The unit itself while it exists; after it ends, whoever took over its duties on that day."""
        if unit.exists_on(day):
            return [unit]
        if unit.start is not None and day < unit.start:
            return []
        result: list[Unit] = []
        seen = {unit.id}
        frontier = list(unit.successors)
        while frontier:
            uid = frontier.pop(0)
            if uid in seen or uid not in self.units:
                continue
            seen.add(uid)
            successor = self.units[uid]
            if successor.exists_on(day):
                result.append(successor)
            elif successor.until is not None and successor.until < day:
                frontier.extend(successor.successors)
        return result

    def resolve(self, ref: str, day: dt.date) -> list[Unit]:
        if ref in self.groups:
            return self.members(ref, day)
        unit = self.units.get(ref)
        return self.successors_on(unit, day) if unit else []

    def responsible(self, task: Task, day: dt.date) -> list[Unit]:
        """Every unit that must carry out the task on the day, each once, in plan phrase order.

        Remembered per (task, era of the day): checking 70,000 records asks the same question for each
        of them, and a ten-year plan has hundreds of deadlines but only the few eras its units'
        start and end dates make."""
        key = (task.id, self._era(day))
        known = self._responsible.get(key)
        if known is not None:
            return list(known)
        seen: dict[str, Unit] = {}
        for who in task.who:
            for ref in who.refs:
                for unit in self.resolve(ref, day):
                    seen.setdefault(unit.id, unit)
        self._responsible[key] = list(seen.values())
        return list(seen.values())

    def responsible_by_id(self, task: Task, day: dt.date) -> dict[str, Unit]:
        """`responsible` as a mapping from unit id, remembered like it; the caller must not change it."""
        key = (task.id, self._era(day))
        known = self._responsible_by_id.get(key)
        if known is None:
            known = self._responsible_by_id[key] = {u.id: u for u in self.responsible(task, day)}
        return known

    def _era(self, day: dt.date) -> int:
        """Days of one era see the same units exist (`Unit.exists_on`), the same successors take over and
        the same groups have the same members: everything here compares a day only with a unit's
        start (`start <= day`) and end (`day <= until`). An era starts at a start or the day after an end."""
        if self._boundaries is None:
            edges = {u.start for u in self.units.values() if u.start is not None}
            edges |= {u.until + dt.timedelta(days=1) for u in self.units.values()
                      if u.until is not None and u.until < dt.date.max}
            self._boundaries = sorted(edges)
        return bisect_right(self._boundaries, day)

    def group_names(self, unit: Unit) -> str:
        return ", ".join(self.groups[g].name for g in unit.groups if g in self.groups)
