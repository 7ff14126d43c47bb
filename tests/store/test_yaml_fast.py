"""The fast path for status files stands apart from PyYAML: its table of YAML 1.1 typed scalars is
PyYAML's own, and reading a file kehoach wrote (as `check` does after a `record`) never imports PyYAML."""

from __future__ import annotations

import subprocess
import sys

import yaml

from kehoach.store.yaml_fast import IMPLICIT_RESOLVERS, resolves_as_non_string
from support.paths import REPO


def test_the_table_is_pyyamls() -> None:
    theirs = {first: tuple((tag.rsplit(":", 1)[1], regexp.pattern) for tag, regexp in resolvers)
              for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()}
    assert theirs == IMPLICIT_RESOLVERS


def test_typed_scalars_as_pyyaml_reads_them() -> None:
    for text in ("yes", "No", "~", "null", "", "12", "0o17", "017", "1_000", "-3.5", ".inf", "2026-06-10",
                 "2026-6-1 10:00:00", "Báo cáo số 12", "Nguyễn Văn A", "so-tu-phap", "17a"):
        typed = not isinstance(yaml.safe_load(f"k: {text}" if text else "k:")["k"], str)
        assert resolves_as_non_string(text) == typed, text
    assert resolves_as_non_string("<<") and resolves_as_non_string("=")  # merge and value keys: not text


def test_reading_a_status_file_kehoach_wrote_does_not_load_pyyaml() -> None:
    code = """
import sys
from kehoach.store.status_files import parse_status_text
records, problems = parse_status_text(
    "records:\\n- evidence: Báo cáo số 12/BC-STP\\n  period: '2026'\\n  status: dang-thuc-hien\\n"
    "  task: '1'\\n  unit: so-tu-phap\\n", "status/2026/so-tu-phap.yaml")
assert len(records) == 1 and not problems, (records, problems)
print(sorted(m for m in sys.modules if m == "yaml" or m.startswith("yaml.")))
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert found.stdout == "[]\n", found.stderr
