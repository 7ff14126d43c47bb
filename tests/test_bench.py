"""The benchmark's growth estimate: it must find the exponent of the part that grows, whatever the
fixed part of a run (start-up, exit) is, and call noise noise."""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import SourceFileLoader
from types import ModuleType

import pytest

from support.paths import REPO

RECORDS = {1: 7077, 5: 35758, 10: 71749}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(REPO / "bench"))
    loader = SourceFileLoader("kehoach_bench_run", str(REPO / "bench" / "run"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up while the file runs
    loader.exec_module(module)
    return module


def figures(costs: dict[int, float], floor: float = 0.1) -> dict[int, dict[str, float]]:
    return {y: {"records": RECORDS[y], "check": t, "sàn check": floor} for y, t in costs.items()}


@pytest.mark.parametrize(("fixed", "exponent"), [(0.09, 1.0), (0.02, 1.0), (0.3, 1.0), (0.09, 2.0), (0.09, 0.5)])
def test_exponent_is_found_whatever_the_fixed_part(bench: ModuleType, fixed: float, exponent: float) -> None:
    scale = 0.6 / RECORDS[10] ** exponent  # 0.6 s of growing work at 10 years
    costs = {y: fixed + scale * n ** exponent for y, n in RECORDS.items()}
    assert bench.slope(figures(costs), "check") == pytest.approx(exponent, abs=1e-6)


def test_a_fixed_part_below_the_floor_no_longer_reads_as_superlinear(bench: ModuleType) -> None:
    """validate's fixed part (~0.05 s) is below the import floor (~0.11 s): floor-subtracted, its linear
    cost read as b = 1.17 from 5 to 10 years."""
    costs = {y: 0.05 + 0.64 * n / RECORDS[10] for y, n in RECORDS.items()}
    two_sizes = {y: costs[y] for y in (5, 10)}
    assert bench.slope(figures(two_sizes, floor=0.11), "check") > 1.15  # the old estimate, kept for two sizes
    assert bench.slope(figures(costs, floor=0.11), "check") == pytest.approx(1.0)


@pytest.mark.parametrize("costs", [{1: 0.142, 5: 0.142, 10: 0.151}, {1: 0.118, 5: 0.160, 10: 0.150},
                                   {1: 0.30, 5: 0.29, 10: 0.70}])
def test_noise_is_no_slope(bench: ModuleType, costs: dict[int, float]) -> None:
    assert bench.slope(figures(costs), "check") is None


def test_the_run_fails_on_growth_well_above_a_straight_line_not_on_a_few_ms(bench: ModuleType) -> None:
    linear = {y: 0.05 + 0.64 * n / RECORDS[10] for y, n in RECORDS.items()}
    quadratic = {y: 0.09 + 0.6 * (n / RECORDS[10]) ** 2 for y, n in RECORDS.items()}
    assert bench.excess_over_linear(figures(linear), "check") == pytest.approx(0.0)
    assert bench.excess_over_linear(figures(quadratic), "check") == pytest.approx(0.65, abs=0.01)
    # A full run's warm check (figures as printed): b = 1.11 from medians a few ms apart, 2% over the line.
    warm = {1: 0.115, 5: 0.143, 10: 0.182}
    assert bench.slope(figures(warm), "check") == pytest.approx(1.11, abs=0.01)
    assert bench.excess_over_linear(figures(warm), "check") == pytest.approx(0.02, abs=0.005)
    assert bench.excess_over_linear(figures({1: 0.142, 5: 0.142, 10: 0.151}), "check") is None
