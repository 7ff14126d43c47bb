"""Regenerate the commune-level units of data/units.yaml from the vietnam-provinces package.

Usage: python tools/gen_communes.py data/units.yaml

Removes every unit with `source: vietnam-provinces`, appends one unit per ward/commune of
Thanh Hóa (province code 38) as it stands since 2025-07-01, records the package's data version
in the file-level note, and rewrites the whole file in the project's one stable YAML style
(units and groups sorted by id). Running it twice gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import vietnam_provinces
import yaml

PROVINCE_CODE = 38
SOURCE = "vietnam-provinces"
PARENT = "ubnd-tinh-thanh-hoa"
GROUP = "ubnd-cap-xa"
SINCE = dt.date(2025, 7, 1)
# The generated sentence at the end of the file-level note starts with this marker; everything
# from the marker on is replaced on each run, everything before it is kept as written by hand.
NOTE_MARKER = "Dữ liệu cấp xã sinh tự động:"
DIVISION_WORDS = {"Phường": "phường", "Xã": "xã"}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


class GenerationError(Exception):
    pass


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slug(text: str) -> str:
    """ASCII slug: drop diacritics, đ→d, lowercase, runs of other characters → '-'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub("-", stripped).strip("-")


def unit_name(ward_name: str) -> str:
    """'Phường Hạc Thành' → 'UBND phường Hạc Thành'."""
    word, _, rest = nfc(ward_name).partition(" ")
    if word not in DIVISION_WORDS or not rest:
        raise GenerationError(f"tên đơn vị cấp xã không như dự kiến: {ward_name!r}")
    return f"UBND {DIVISION_WORDS[word]} {rest}"


def commune_units() -> list[dict[str, Any]]:
    wards = vietnam_provinces.Ward.iter_by_province(vietnam_provinces.ProvinceCode(PROVINCE_CODE))
    units = []
    for ward in wards:
        name = unit_name(ward.name)
        units.append({
            "id": slug(name),
            "name": name,
            "short": [],
            "level": "xa",
            "groups": [GROUP],
            "parent": PARENT,
            "from": SINCE,
            "code": str(int(ward.code)),
            "source": SOURCE,
        })
    if not units:
        raise GenerationError(f"vietnam-provinces không có đơn vị nào cho mã tỉnh {PROVINCE_CODE}")
    return units


def version_sentence() -> str:
    return (
        f"{NOTE_MARKER} {SOURCE} phiên bản {vietnam_provinces.__version__}, "
        f"dữ liệu ngày {vietnam_provinces.__data_version__}, mã tỉnh {PROVINCE_CODE}."
    )


def regenerate(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise GenerationError("tệp không có danh sách 'units'")
    kept = [u for u in data["units"] if u.get("source") != SOURCE]
    units = kept + commune_units()

    seen: dict[str, str] = {}
    for group in data.get("groups") or []:
        seen[group["id"]] = f"nhóm {group['name']}"
    duplicates = []
    for unit in units:
        uid = unit["id"]
        if uid in seen:
            duplicates.append(f"{uid}: {seen[uid]} / {unit['name']}")
        seen[uid] = unit["name"]
    if duplicates:
        raise GenerationError("mã trùng nhau:\n  " + "\n  ".join(duplicates))

    note = (data.get("note") or "").split(NOTE_MARKER)[0].strip()
    result = dict(data)
    result["note"] = f"{note} {version_sentence()}".strip()
    result["groups"] = sorted(data.get("groups") or [], key=lambda g: g["id"])
    result["units"] = sorted(units, key=lambda u: u["id"])
    return result


def fresh(value: Any) -> Any:
    """A copy sharing no objects, so the dumper never writes YAML anchors or aliases."""
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fresh(item) for item in value]
    if type(value) is dt.date:
        return dt.date(value.year, value.month, value.day)
    return value


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        fresh(data),
        Dumper=yaml.CSafeDumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: an interrupted run leaves the old file whole."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("cách dùng: python tools/gen_communes.py data/units.yaml", file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        text = dump(regenerate(data))
    except (OSError, yaml.YAMLError, GenerationError, KeyError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    write_atomic(path, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
