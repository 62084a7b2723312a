"""An import as a person runs it, from the command line or a screen: the file opened and
its first rows shown, the columns mapped, every row checked — its cells by tui.intake,
against what is on file by tui.db.imports — the problems reported by row, and the good
rows written as one batch (or nothing: a dry run, or a file with a bad row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from tui.clock import from_shop_time
from tui.db.imports import (ImportError_, MemberIn, Refusal, ProductIn, SaleIn, check_members,
                            check_products, check_sales, file_sha256, write_members,
                            write_products, write_sales)
from tui.errors import ShopfloorError
from tui.files import private_folder
from tui.i18n import _, ngettext
from tui.intake.mapping import MappingError, SavedMapping, fields_of, guess, resolve
from tui.intake.progress import Progress
from tui.intake.read import Table, open_table, shown_cell
from tui.intake.rows import MemberRow, Problem, ProductRow, PurchaseRow, check_table
from tui.reports.text import fit
from tui.settings import Settings

#: the kinds of file this brings in
KINDS = ("members", "products", "purchases")
PREVIEW_ROWS = 5


@dataclass
class ImportRun:
    """One file, read and checked: what writing it would do."""

    kind: str
    table: Table
    columns: dict[str, str]  #: field → the file's column
    problems: list[Problem] = field(default_factory=list)  #: the file's and the archive's
    notes: list[Problem] = field(default_factory=list)  #: not refusals: kept values, guides
    plan: object = None  #: MemberPlan or SalePlan
    rows: int = 0  #: data rows read

    @property
    def refused_rows(self) -> int:
        return len({p.row for p in self.problems})


def open_file(path: Path, kind: str, columns: dict[str, str] | None = None) -> tuple[Table, dict]:
    """The file opened and its columns: the ones given (a saved mapping) or the guess
    from its header; MappingError in one line when they do not fit."""
    table = open_table(path)
    columns = dict(columns) if columns else guess(kind, table.header)
    resolve(kind, columns, table.header)
    return table, columns


def check(table: Table, kind: str, columns: dict[str, str], settings: Settings, today: date,
          *, create_members: bool = False, progress: Progress | None = None) -> ImportRun:
    """Every row read and checked, nothing written. PROGRESS is told how far the reading
    and the checking are, and stops them when asked (ImportCancelled)."""
    run = ImportRun(kind, table, columns)
    zone = settings.shop.zone
    rows = []
    for item in check_table(table, kind, columns, progress):
        if isinstance(item, Problem):
            run.problems.append(item)
        else:
            rows.append(item)
    run.rows = len(rows) + len({p.row for p in run.problems})
    if kind == "members":
        run.plan = check_members([_member(r) for r in rows], settings, today, progress)
    elif kind == "products":
        run.plan = check_products([_product(r) for r in rows], settings, progress)
    else:
        run.plan = check_sales([_sale(r, zone) for r in rows], settings,
                               create_members=create_members, progress=progress)
    header = {f: columns.get(f, f) for f in (f.key for f in fields_of(kind))}
    for refusal in run.plan.refused:
        run.problems.append(Problem(refusal.row, header.get(refusal.column, refusal.column),
                                    refusal.value, refusal.what, refusal.todo))
    # the rows refused as they were read count as the plan's too: its batch says how many
    # rows were left out, and its writer refuses them as it refuses its own
    read_wrong = [p for p in run.problems if p.row not in run.plan.refused_rows]
    run.plan.refused.extend(Refusal(p.row, p.column, p.value, p.what, p.todo)
                            for p in read_wrong)
    for note in run.plan.notes:
        run.notes.append(Problem(note.row, header.get(note.column, note.column), note.value,
                                 note.what, note.todo))
    run.problems.sort(key=lambda p: p.row)
    return run


def _member(r: MemberRow) -> MemberIn:
    return MemberIn(r.row, name=r.name, phone=r.phone, card_no=r.card_no, gender=r.gender,
                    birthday=r.birthday, address=r.address, joined_on=r.joined_on, guide=r.guide)


def _product(r: ProductRow) -> ProductIn:
    return ProductIn(r.row, r.barcode, r.name, r.price_fen, brand=r.brand, category=r.category,
                     spec=r.spec, stage=r.stage, unit=r.unit, days_per_unit=r.days_per_unit)


def _sale(r: PurchaseRow, zone: ZoneInfo) -> SaleIn:
    return SaleIn(r.row, r.receipt, from_shop_time(r.sold_at, zone), r.quantity,
                  r.amount_fen, line_no=r.line, card_no=r.card_no, phone=r.phone,
                  member_name=r.member_name, barcode=r.barcode, sku=r.code,
                  product_name=r.product, brand=r.brand, category=r.category,
                  price_cents=r.unit_price_fen, guide=r.guide)


def write(run: ImportRun, staff_id: int, now: datetime, settings: Settings, *,
          valid_rows: bool = False, progress: Progress | None = None) -> int:
    """The run's good rows as one batch; its id. Stopped by PROGRESS (ImportCancelled),
    it writes nothing."""
    path = run.table.path
    writer = {"members": write_members, "products": write_products,
              "purchases": write_sales}[run.kind]
    return writer(run.plan, path.name, file_sha256(path), staff_id, now, settings,
                  valid_rows=valid_rows, progress=progress)


def preview_text(table: Table, columns: dict[str, str], width: int = 100) -> str:
    """What the program read, before anything is written: the encoding, the columns it
    maps and the first rows decoded."""
    out = [_("{path}: read as {encoding}; {count} columns").format(
        path=table.path.name, encoding=table.encoding_name, count=len(table.header))]
    mapped = {name: key for key, name in columns.items() if name}
    out.append(_("columns: {columns}").format(columns=_(", ").join(
        f"{name} → {key}" if name in mapped.values() else name
        for name, key in ((n, mapped.get(n)) for n in table.header) if key) or _("none")))
    for number, cells in table.preview[:PREVIEW_ROWS]:
        out.append(fit(f"{number:>4}  " + " | ".join(shown_cell(c) for c in cells), width))
    return "\n".join(out) + "\n"


def summary_text(run: ImportRun) -> str:
    counts = run.plan.counts()
    if run.kind == "members":
        words = _("{new} new, {filled} given what their archive lacked, {unchanged} on file "
                  "already").format(**counts)
    elif run.kind == "products":
        words = _("{new} new products ({missing_days} without days per unit: the products "
                  "screen lists them, u), {filled} given what they lacked, {unchanged} on file "
                  "already").format(**counts)
    else:
        words = _("{lines} sale lines on {receipts} receipts to write, {on_file} on file "
                  "already; {new_products} new products, {new_members} new members").format(
            **counts)
    out = [_("{rows} rows read: {words}").format(rows=run.rows, words=words)]
    if run.problems:
        out.append(ngettext("{count} row cannot be brought in as it is",
                            "{count} rows cannot be brought in as they are",
                            run.refused_rows).format(count=run.refused_rows))
    if run.notes:
        out.append(ngettext("{count} note (brought in all the same)",
                            "{count} notes (brought in all the same)",
                            len(run.notes)).format(count=len(run.notes)))
    return "\n".join(out) + "\n"


#: the files an inbox takes: the POS's exports and Excel's
INBOX_FILES = (".csv", ".txt", ".xlsx", ".xls")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    size: int  #: bytes
    changed: datetime  #: when it was last written, UTC without zone


def inbox_folder(settings: Settings) -> Path:
    """The shop's inbox, "inbox" beside the database, made 0700 when new: where the POS's
    exports are put for the import screen (and `shopfloor import --inbox` for cron)."""
    try:
        return private_folder(settings.database.path.parent / "inbox",
                              settings.database.file_group)
    except ShopfloorError as exc:
        raise ImportError_(str(exc)) from None


def inbox_files(folder: Path) -> list[InboxFile]:
    """The files of FOLDER an import takes, newest first (hidden ones and sub-folders
    such as done/ and failed/ left out)."""
    found = []
    for path in folder.iterdir():
        if path.name.startswith(".") or path.suffix.lower() not in INBOX_FILES:
            continue
        try:
            if not path.is_file():
                continue
            info = path.stat()
        except OSError:  # gone between the listing and the look
            continue
        found.append(InboxFile(path, info.st_size,
                               datetime.fromtimestamp(info.st_mtime, timezone.utc)
                               .replace(tzinfo=None)))
    return sorted(found, key=lambda f: (f.changed, f.path.name), reverse=True)


def fitting_mappings(table: Table, saved: list[SavedMapping]) -> list[SavedMapping]:
    """The saved mappings whose columns the file's header has."""
    fits = []
    for mapping in saved:
        try:
            resolve(mapping.kind, mapping.columns, table.header)
        except MappingError:
            continue
        fits.append(mapping)
    return fits


def report_path(path: Path, folder: Path | None = None) -> Path:
    """Where the problems of the file at PATH go: FILE-problems.csv beside it (or in
    FOLDER), or the next free name (-2, -3 …): a report is never written over."""
    folder = path.parent if folder is None else folder
    candidate = folder / f"{path.stem}-problems.csv"
    n = 2
    while candidate.exists():
        candidate = folder / f"{path.stem}-problems-{n}.csv"
        n += 1
    return candidate
