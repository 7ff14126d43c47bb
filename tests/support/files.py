"""Files for the tests: write one (folders made), and snapshot a tracker's files to prove nothing changed."""

from __future__ import annotations

from pathlib import Path


def file_snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes: to prove nothing changed. Git's internals and the derived
    record cache (machine-local, rebuilt from the YAML, safe to delete) are not the tracker's data."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", ".kehoach-cache"} & set(p.relative_to(root).parts)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def status_file_paths(status_dir: Path) -> list[Path]:
    """The status files below a status folder, in the order kehoach lists them (year, then unit)."""
    return sorted(p for p in status_dir.glob("[0-9][0-9][0-9][0-9]/*.yaml") if p.is_file())
