"""What `kehoach sync` tells the clerk: what came in (records added or changed, by whom), what went out."""

from __future__ import annotations

from kehoach.domain.definitions import Definitions
from kehoach.domain.periods import format_date
from kehoach.git.history import Change
from kehoach.git.sync import SyncResult


def change_line(definitions: Definitions, change: Change) -> str:
    task, unit_id, period = change.key
    unit = definitions.registry.units.get(unit_id)
    where = f"nhiệm vụ {task}, {unit.name if unit else unit_id}, kỳ {period}"
    if change.after is None:
        what = "xóa bản ghi"
    elif change.before is None:
        what = f"thêm «{change.after.status.label}»"
    else:
        what = f"«{change.before.status.label}» → «{change.after.status.label}»"
    if change.after is not None and change.after.done_on:
        what += f" ngày {format_date(change.after.done_on)}"
    kind = (" (giải quyết xung đột)" if change.resolution
            else f" (nhập biểu mẫu {change.form_file})" if change.form_file else "")
    return f"  - {where}: {what}{kind} — {change.author}"


def sync_summary(definitions: Definitions, result: SyncResult) -> str:
    lines = [f"Đã đồng bộ với kho chung {result.remote} (nhánh {result.branch})."]
    if result.setup is not None and result.setup.forgotten:
        lines.append(f"Đã bỏ {len(result.setup.forgotten)} tệp riêng của kehoach (bộ nhớ đệm, khóa) khỏi kho chung; "
                     "mỗi máy tự giữ bản của mình (thêm một lần ghi vào lịch sử).")
    elif result.setup is not None and result.setup.commit:
        lines.append("Đã cài bộ gộp tệp trạng thái vào .gitattributes (thêm một lần ghi vào lịch sử).")
    if result.incoming:
        added = sum(1 for c in result.incoming if c.before is None and c.after is not None)
        lines.append(f"Nhận về {len(result.incoming)} thay đổi bản ghi ({added} bản ghi mới, "
                     f"{len(result.incoming) - added} sửa hoặc xóa):")
        lines += [change_line(definitions, c) for c in reversed(result.incoming)]
    else:
        lines.append("Không có thay đổi bản ghi mới từ kho chung.")
    if result.pushed_commits:
        retried = f" (sau {result.tries} lần thử vì kho chung vừa thay đổi)" if result.tries > 1 else ""
        lines.append(f"Đã đẩy {result.pushed_commits} lần ghi lên kho chung {result.remote} "
                     f"(nhánh {result.branch}){retried}.")
    else:
        lines.append("Không có gì mới để đẩy lên.")
    return "\n".join(lines)
