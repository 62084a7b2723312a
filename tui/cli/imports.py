"""`shopfloor import members|purchases FILE` and `shopfloor import undo BATCH | list`: the
shop's files brought in, each row checked before anything is written, as one batch.

Each command imports what it needs inside its function, for start-up time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import EXIT_NOT_DONE, UsageError, acting_id, add_acting, open_existing
from tui.clock import Clock, shop_time
from tui.i18n import _, ngettext
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    brought = sub.add_parser(
        "import", parents=[common],
        help=_("bring in members, products or the POS's sales from a CSV, XLSX or XLS "
               "file (a manager)"))
    brought.add_argument("what", nargs="?",
                         choices=("members", "products", "purchases", "undo", "list"),
                         metavar="members|products|purchases|undo|list",
                         help=_("what the file holds; undo BATCH takes a batch out again; "
                                "list shows the batches"))
    brought.add_argument("target", nargs="?", metavar="FILE|BATCH",
                         help=_("the file to bring in, or the batch to undo"))
    brought.add_argument("--inbox", metavar="DIR", type=Path,
                         help=_("bring in every new file of the folder with the saved mapping "
                                "that fits it, then move it to done/ or failed/ (for cron)"))
    brought.add_argument("--mapping", metavar="NAME",
                         help=_("the columns as saved under this name (default: guessed from "
                                "the header)"))
    brought.add_argument("--save-mapping", metavar="NAME",
                         help=_("keep the columns used under this name, for --mapping and the "
                                "inbox"))
    brought.add_argument("--dry-run", action="store_true",
                         help=_("check every row and report, write nothing"))
    brought.add_argument("--valid-rows", action="store_true",
                         help=_("write the good rows and leave the bad ones in the report "
                                "(default: a file with a bad row writes nothing)"))
    brought.add_argument("--create-members", action="store_true",
                         help=_("purchases: make a member for a sale whose phone or card is "
                                "not on file (default: report the sale)"))
    brought.add_argument("--report", metavar="PATH", type=Path,
                         help=_("where the problems go (default: FILE-problems.csv beside it)"))
    add_acting(brought, _("the manager importing (needed)"))


def _report_path(path: Path, given: Path | None) -> Path:
    from tui.reports.imports import report_path

    return given.expanduser() if given is not None else report_path(path)


def cmd_import(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    if args.inbox is not None:
        if args.what or args.target:
            raise UsageError(_("import --inbox DIR takes no kind or file: each file's saved "
                               "mapping says what it is"))
        return _inbox(args, settings, clock)
    if args.what is None:
        raise UsageError(_("import: say what the file holds (members, products, purchases), "
                           "or give --inbox DIR"))
    if args.what == "list":
        return _list(args, settings, clock)
    if not args.target:
        raise UsageError(_("import {what}: give the {thing}").format(
            what=args.what, thing=_("batch number") if args.what == "undo" else _("file")))
    if args.what == "undo":
        return _undo(args, settings, clock)
    from tui.intake.mapping import list_mappings, mappings_path
    from tui.reports.imports import check, open_file, preview_text, summary_text, write
    from tui.reports.intake import write_problems

    path = Path(args.target).expanduser()
    columns = None
    if args.mapping:
        saved = {m.name: m for m in list_mappings(mappings_path(settings.source), args.what)}
        if args.mapping not in saved:
            raise UsageError(_("--mapping: no {kind} mapping named {name!r}; saved: {names}")
                             .format(kind=args.what, name=args.mapping,
                                     names=_(", ").join(saved) or _("none")))
        columns = saved[args.mapping].columns
    table, columns = open_file(path, args.what, columns)  # a misfit: one line, before a PIN
    print(preview_text(table, columns), end="")
    if args.save_mapping:
        from tui.intake.mapping import SavedMapping, save_mapping

        where = save_mapping(mappings_path(settings.source),
                             SavedMapping(args.save_mapping, args.what, columns),
                             settings.database.file_group)
        print(_("the columns are saved as {name} in {path}").format(name=args.save_mapping,
                                                                   path=where))
    open_existing(settings)
    staff_id = acting_id(args, settings, clock, "import")
    if staff_id is not None:
        from tui.db.audit import require_manager
        from tui.db.imports.batches import DOING

        require_manager(staff_id, DOING)
    run = check(table, args.what, columns, settings, clock.today(),
                create_members=args.create_members)
    print(summary_text(run), end="")
    if run.problems or run.notes:
        report = _report_path(path, args.report)
        write_problems(report, [*run.problems, *run.notes], settings.database.file_group)
        print(_("the rows and what to do about each: {path}").format(path=report))
    if args.dry_run:
        print(_("dry run: nothing was written"))
        return EXIT_NOT_DONE if run.problems else 0
    if run.problems and not args.valid_rows:
        print("shopfloor: " + ngettext(
            "nothing was written: {count} row cannot be brought in as it is; fix the file or "
            "use --valid-rows", "nothing was written: {count} rows cannot be brought in as "
            "they are; fix the file or use --valid-rows", run.refused_rows).format(
            count=run.refused_rows), file=sys.stderr)
        return EXIT_NOT_DONE
    batch = write(run, staff_id, clock.now(), settings, valid_rows=args.valid_rows)
    print(_("written as batch {batch}; `shopfloor import undo {batch}` takes it out again")
          .format(batch=batch))
    return 0


def _undo(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.imports import undo_batch

    try:
        batch = int(args.target)
    except ValueError:
        raise UsageError(_("import undo: {text!r} is not a batch number (see shopfloor import "
                           "list)").format(text=args.target)) from None
    open_existing(settings)
    staff_id = acting_id(args, settings, clock, "import")
    done = undo_batch(batch, staff_id, clock.now(), settings)
    print(_("batch {batch} undone: {lines} sale lines, {purchases} purchases, {members} "
            "members and {products} products taken out; {emptied} members' filled fields "
            "emptied again").format(batch=batch, **done))
    return 0


def _list(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.imports import batches

    open_existing(settings)
    acting_id(args, settings, clock, "import")
    found = batches()
    if not found:
        print(_("no imports yet"))
    for b in found:
        state = (_("undone {at:%Y-%m-%d %H:%M}").format(at=shop_time(b.undone_at, clock.zone))
                 if b.undone_at else "")
        print(f"{b.id:>5}  {shop_time(b.at, clock.zone):%Y-%m-%d %H:%M}  {_(b.kind):<10} "
              f"{b.file_name}  {state}".rstrip())
    return 0


def _inbox(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    """Each new file: read, matched to the one saved mapping that fits it, imported as a
    whole (a bad row: nothing, as ever), moved to done/ or failed/ with its report; a
    failure is written down for the next end-of-day sheet. Plain lines, one a file."""
    import shutil

    from tui.db.imports import record_failure
    from tui.errors import ShopfloorError
    from tui.intake.mapping import list_mappings, mappings_path
    from tui.intake.read import open_table
    from tui.reports.imports import INBOX_FILES, check, fitting_mappings, write
    from tui.reports.intake import write_problems

    folder = args.inbox.expanduser()
    if not folder.is_dir():
        raise UsageError(_("--inbox: {path} is not a folder").format(path=folder))
    open_existing(settings, warn=False)
    staff_id = acting_id(args, settings, clock, "import")
    from tui.db.audit import require_manager
    from tui.db.imports.batches import DOING

    require_manager(staff_id, DOING)
    saved = list_mappings(mappings_path(settings.source))
    failures = 0
    for path in sorted(p for p in folder.iterdir()
                       if p.is_file() and not p.name.startswith(".")
                       and p.suffix.lower() in INBOX_FILES):
        why, report = None, None
        try:
            table = open_table(path)
            fits = fitting_mappings(table, saved)
            if len(fits) > 1:
                named = [m for m in fits if m.name.lower() in path.name.lower()]
                fits = named if len(named) == 1 else fits
            if not fits:
                why = _("no saved mapping fits its columns; import it once by hand with "
                        "--save-mapping")
            elif len(fits) > 1:
                why = _("more than one saved mapping fits ({names}); put one's name in the "
                        "file's name").format(names=_(", ").join(m.name for m in fits))
            else:
                run = check(table, fits[0].kind, fits[0].columns, settings, clock.today())
                if run.problems:
                    report = folder / "failed" / f"{path.stem}-problems.csv"
                    why = ngettext("{count} row cannot be brought in as it is",
                                   "{count} rows cannot be brought in as they are",
                                   run.refused_rows).format(count=run.refused_rows)
                else:
                    batch = write(run, staff_id, clock.now(), settings)
        except ShopfloorError as exc:
            why = str(exc)
        target = folder / ("failed" if why else "done")
        target.mkdir(mode=0o700, exist_ok=True)
        moved = _free_name(target / path.name)
        shutil.move(str(path), moved)
        if why:
            failures += 1
            if report is not None:
                write_problems(_free_name(report), [*run.problems, *run.notes],
                               settings.database.file_group)
            record_failure(staff_id, clock.now(), path.name, why)
            print(_("{file}: NOT brought in: {why}; moved to {where}").format(
                file=path.name, why=why, where=moved))
        else:
            print(_("{file}: brought in as batch {batch}; moved to {where}").format(
                file=path.name, batch=batch, where=moved))
    return EXIT_NOT_DONE if failures else 0


def _free_name(path: Path) -> Path:
    """PATH, or PATH with -2, -3 … before its suffix when that is taken: nothing moved or
    written over a file already there."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


COMMANDS = {"import": cmd_import}
