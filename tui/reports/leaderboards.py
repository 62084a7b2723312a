"""The leaderboards as words, text, JSON and CSV: `shopfloor leaderboard` and the screen
print every figure through `figure_words`, so the two cannot disagree."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from fractions import Fraction

from tui.db.boards.boards import Board
from tui.db.callbacks.contacts import CHANNEL_LABELS, OUTCOME_LABELS
from tui.db.callbacks.queue import REASON_LABELS
from tui.db.boards.drill import CallbackLine, ContactLine, DrillPage, MemberLine
from tui.db.boards.figures import Figure, Rate
from tui.i18n import N_, _, ngettext
from tui.money import half_up
from tui.reports.text import cell_width, fit, fit_right
from tui.text import csv_cell, json_safe, shown

#: what each board is called on its tab and in the heading
BOARD_LABELS = {"archive": N_("Archive"), "visits": N_("Visits"), "callbacks": N_("Callbacks"),
                "follow_up": N_("Follow-up")}


def _decimal(value: Fraction, places: int) -> str:
    rounded = half_up(value, places)
    text = f"{float(rounded):.{places}f}"
    return "0.0" if text in ("-0.0", "-0") else text


def percent_words(share: Fraction, places: int = 0) -> str:
    """A share 0..1 as "80%" (or "61.3%")."""
    return f"{_decimal(share * 100, places) if places else int(half_up(share * 100))}%"


def figure_words(value: Figure, kind: str) -> str:
    """A figure as the screen and the text report show it: 12 · 12/15 80% · 61.3% · +8.9."""
    if isinstance(value, Rate):
        share = percent_words(value.value) if value.of else "—"
        return f"{value.done}/{value.of} {share}"
    if kind == "percent":
        return percent_words(Fraction(value), 1)
    if kind == "points":
        pts = _decimal(Fraction(value) * 100, 1)
        return pts if pts.startswith("-") or pts == "0.0" else f"+{pts}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def figure_json(value: Figure, kind: str) -> object:
    """Counts as they are; a rate with its parts; a share as percent, gained completeness
    as percentage points, both rounded half up to two decimals."""
    if isinstance(value, Rate):
        return {"done": value.done, "of": value.of,
                "percent": float(half_up(value.value * 100, 2)) if value.of else None}
    if kind in ("percent", "points"):
        return float(half_up(Fraction(value) * 100, 2))
    return value


def _period_json(board_or_page) -> dict:
    p = board_or_page.period
    return {"kind": p.kind, "text": p.text, "first_day": p.first_day.isoformat(),
            "last_day": p.last_day.isoformat(), "label": p.label}


# -- a board ---------------------------------------------------------------------------------

def board_heading(board: Board, shop: str) -> str:
    return f"{shop} — {board.title} — {board.period.label}"


def board_text(board: Board, shop: str, width: int = 100) -> str:
    name_w = 10
    col_w = max(9, min(14, (width - 4 - 2 - name_w) // max(1, len(board.columns)) - 2))
    out = [board_heading(board, shop),
           _("ranked by {figure}; {guides}").format(
               figure=board.column(board.rank_by).label.lower(),
               guides=ngettext("{n} active guide", "{n} active guides",
                               len(board.rows)).format(n=len(board.rows))), ""]
    head = fit_right("#", 3) + "  " + fit(_("guide"), name_w)
    for col in board.columns:
        head += "  " + fit_right(col.label, col_w)
    out.append(head.rstrip())
    for row in board.rows:
        line = fit_right(str(row.rank), 3) + "  " + fit(row.guide, name_w)
        for col in board.columns:
            line += "  " + fit_right(figure_words(row.figures[col.key], col.kind), col_w)
        out.append(line.rstrip())
    if not board.rows:
        out.append(_("No active guides to rank."))
    out += [""] + [_("{label}: {meaning}").format(label=col.label, meaning=col.meaning)
                   for col in board.columns]
    return shown("\n".join(out) + "\n")


def board_records(board: Board) -> list[dict]:
    return [{"rank": row.rank, "guide_id": row.guide_id, "guide": row.guide,
             "figures": {c.key: figure_json(row.figures[c.key], c.kind) for c in board.columns},
             "words": {c.key: figure_words(row.figures[c.key], c.kind) for c in board.columns}}
            for row in board.rows]


def board_json(board: Board) -> str:
    doc = {"board": board.name, "title": board.title, "period": _period_json(board),
           "today": board.today.isoformat(), "rank_by": board.rank_by,
           "columns": [{"key": c.key, "label": c.label, "kind": c.kind, "meaning": c.meaning}
                       for c in board.columns],
           "rows": board_records(board)}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


def board_csv(board: Board) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = ["rank", "guide_id", "guide"]
    for c in board.columns:
        head += [f"{c.key}_done", f"{c.key}_of"] if c.kind == "rate" else [c.key]
    writer.writerow(head)
    for row in board.rows:
        cells: list[object] = [row.rank, row.guide_id, csv_cell(row.guide)]
        for c in board.columns:
            value = row.figures[c.key]
            cells += [value.done, value.of] if isinstance(value, Rate) else [figure_json(value, c.kind)]
        writer.writerow(cells)
    return buf.getvalue()


# -- a drill-down ------------------------------------------------------------------------------

def _when(moment: datetime | None, short: bool = False) -> str:
    """Shop time to the minute; `short` (the screen) leaves the year out."""
    if moment is None:
        return "—"
    return moment.strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M")


def drill_heading(page: DrillPage) -> str:
    return _("{guide} — {board} — {figure} — {period}: {total}").format(
        guide=page.guide, board=_(BOARD_LABELS.get(page.board, page.board)), figure=page.label,
        period=page.period.label, total=kind_count(page.kind, page.total))


def kind_count(kind: str, n: int) -> str:
    """"12 contacts", "3 members", "5 callbacks" (12 条联系, 3 位会员, 5 个回访)."""
    if kind == "members":
        return ngettext("{n} member", "{n} members", n).format(n=f"{n:,}")
    if kind == "contacts":
        return ngettext("{n} contact", "{n} contacts", n).format(n=f"{n:,}")
    return ngettext("{n} callback", "{n} callbacks", n).format(n=f"{n:,}")


def contact_cells(line: ContactLine, short: bool = False) -> list[str]:
    cells = [_when(line.at, short), line.member_no, line.member,
             _(CHANNEL_LABELS.get(line.channel, line.channel)),
             _(OUTCOME_LABELS.get(line.outcome, line.outcome)), _("care") if line.care else ""]
    if line.success is not None:
        when = _when(line.bought_at, short)
        cells.append((_("bought {when}") if line.success else _("too late {when}")).format(when=when)
                     if line.bought_at else _("none"))
    return cells


def member_cells(line: MemberLine, short: bool = False) -> list[str]:
    cells = [line.member_no, line.member]
    if line.score is not None:
        cells += [percent_words(line.score),
                  _("{hard}+{soft} fields").format(hard=line.hard_filled, soft=line.soft_filled),
                  _("complete") if line.complete else ""]
    if line.contacts is not None:
        cells += [ngettext("{n} contact", "{n} contacts", line.contacts).format(n=line.contacts),
                  _when(line.last_contact_at, short)]
    if line.gained is not None:
        cells.append(figure_words(line.gained, "points"))
    return cells


def callback_cells(line: CallbackLine, short: bool = False) -> list[str]:
    state = ((_("on time") if line.on_time else _("late")) if line.status == "done"
             else _(CALLBACK_STATES.get(line.status, line.status)))
    due = line.due_on.strftime("%m-%d") if short else line.due_on.isoformat()
    return [due, line.member_no, line.member, _(REASON_LABELS.get(line.reason, line.reason)), state,
            _when(line.closed_at, short), line.closed_by or ""]


def line_cells(line, short: bool = False) -> list[str]:
    """One drill-down line's cells, in drill_columns' order."""
    if isinstance(line, ContactLine):
        return contact_cells(line, short)
    if isinstance(line, MemberLine):
        return member_cells(line, short)
    return callback_cells(line, short)


DRILL_COLUMNS = {
    "contacts": [N_("when"), N_("member"), N_("name"), N_("channel"), N_("outcome"), N_("care")],
    "members": [N_("member"), N_("name")],
    "callbacks": [N_("due"), N_("member"), N_("name"), N_("reason"), N_("done"), N_("closed"),
                  N_("by")],
}

#: a callback's open states as a drill-down line shows them
CALLBACK_STATES = {"open": N_("open"), "missed": N_("missed"), "cancelled": N_("cancelled")}


def drill_columns(page: DrillPage) -> list[str]:
    """Column headings for the page's lines (the first line decides the optional ones)."""
    cols = [_(c) for c in DRILL_COLUMNS[page.kind]]
    first = page.lines[0] if page.lines else None
    if isinstance(first, ContactLine) and first.success is not None:
        cols.append(_("bought after"))
    if isinstance(first, MemberLine):
        if first.score is not None:
            cols += [_("complete %"), _("filled"), ""]
        if first.contacts is not None:
            cols += [_("contacts"), _("last")]
        if first.gained is not None:
            cols.append(_("gained"))
    return cols


def drill_text(page: DrillPage) -> str:
    out = [drill_heading(page), ""]
    rows = [drill_columns(page)] + [line_cells(ln) for ln in page.lines]
    widths = [max(cell_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        out.append("  ".join(fit(c, w) for c, w in zip(r, widths)).rstrip())
    if not page.lines:
        out.append(_("Nothing behind this figure."))
    return shown("\n".join(out) + "\n")


def _plain(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(half_up(value * 100, 2))
    return value


def drill_json(page: DrillPage) -> str:
    doc = {"board": page.board, "figure": page.figure, "label": page.label,
           "guide_id": page.guide_id,
           "guide": page.guide, "period": _period_json(page), "kind": page.kind,
           "meaning": page.meaning, "total": page.total,
           "lines": [{k: _plain(v) for k, v in ln.__dict__.items()} for ln in page.lines]}
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
