"""Files only the shop can read: the database, its backups and exports are created
owner-only (0600), or owner and the shop's group (0660) when settings name a group;
an export never writes over a file or through a symlink; a file found readable by
others is said once.

The database's -wal and -shm files follow the database file's own mode (SQLite makes
them so), so creating the database file private is enough for all three.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from tui.errors import ShopfloorError
from tui.i18n import N_, _

#: what a written file is called in the one line a failure gives (write_new's WHAT):
#: marked here, said with _() there, so a caller's word is in the catalogue too
FILE_WORDS = (N_("the file"), N_("the sheet"))


class FileError(ShopfloorError):
    """A file the program was asked to write cannot be; str() is the one line to print."""


def file_mode(group: str = "") -> int:
    """0600, or 0660 when the files are shared with a group of the shop's."""
    return 0o660 if group else 0o600


def folder_mode(group: str = "") -> int:
    return 0o770 if group else 0o700


def _group_id(group: str) -> int | None:
    if not group:
        return None
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise FileError(_('the group {group!r} named in settings does not exist on this '
                          'computer; create it (groupadd {group}) or set file_group = ""').format(
                              group=group)) from None


def create_private(path: Path, group: str = "") -> int:
    """Create PATH for writing, new (never over a file, never through a symlink), with the
    shop's mode; return its descriptor. FileExistsError when something is there."""
    gid = _group_id(group)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 file_mode(group))
    try:
        os.fchmod(fd, file_mode(group))  # the umask may have taken bits off
        if gid is not None:
            os.fchown(fd, -1, gid)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    return fd


def private_folder(path: Path, group: str = "") -> Path:
    """The folder exports go to, made 0700 (0770 with a group) when it is new; a symlink
    or a folder others can read is refused."""
    try:
        path.mkdir(mode=folder_mode(group), parents=False, exist_ok=True)
    except OSError as exc:
        raise FileError(_("{path}: cannot make the folder ({why})").format(
            path=path, why=exc.strerror or exc)) from None
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise FileError(_("{path}: not a folder of its own (a link or a file); remove "
                          "it").format(path=path))
    if info.st_mode & 0o007:
        raise FileError(_("{path}: others can read this folder; chmod 700 {path}").format(
            path=path))
    return path


def write_new(path: Path, text: str, group: str = "", what: str = FILE_WORDS[0]) -> Path:
    """Write TEXT to a new file PATH (shop's mode, exclusive, no symlink followed); WHAT
    names it in the one line a failure gives (English, one of FILE_WORDS: said translated)."""
    what = _(what)
    try:
        fd = create_private(path, group)
    except FileExistsError:
        raise FileError(_("{path}: already exists; give a new file name ({what} is never "
                          "written over a file)").format(path=path, what=what)) from None
    except OSError as exc:
        raise FileError(_("{path}: cannot write {what} there ({why})").format(
            path=path, what=what, why=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise FileError(_("{path}: cannot write {what} there ({why})").format(
            path=path, what=what, why=exc.strerror or exc)) from None
    return path


def replace_private(path: Path, text: str, group: str = "", what: str = "the file") -> Path:
    """Write TEXT as the whole of PATH, never half: to a new private file beside it,
    flushed to disk, then renamed over PATH (a link at PATH is replaced, not followed)."""
    path = Path(path)
    temporary = first_free(path.parent, f".{path.name}.{os.getpid()}", ".tmp")
    write_new(temporary, text, group, what)
    try:
        with open(temporary, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise FileError(f"{path}: cannot write {what} there ({exc.strerror or exc})") from None
    return path


def first_free(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem.suffix, or stem-2.suffix, stem-3.suffix … the first that is free."""
    path, n = folder / f"{stem}{suffix}", 1
    while os.path.lexists(path):
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def read_small_text(path: Path, limit: int) -> str:
    """The UTF-8 text of a regular file of at most LIMIT bytes. ValueError for a pipe or
    a device (which would never end, or hang) and for a file over the limit;
    UnicodeDecodeError for text that is not UTF-8."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(_("not a regular file (a folder, a pipe or a device)"))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(_("larger than {limit:,} bytes, far too large for this file").format(
            limit=limit))
    return data.decode("utf-8")


_warned: set[Path] = set()


def exposure_warning(path: Path, group: str = "") -> str | None:
    """One line when PATH (or its -wal/-shm) can be read by others, the first time it is
    asked for that file in this process; None otherwise."""
    path = Path(path)
    if path in _warned:
        return None
    allowed = 0o070 if group else 0
    loose = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = candidate.stat().st_mode
        except OSError:
            continue
        if mode & 0o077 & ~allowed:
            loose.append(f"{candidate.name} ({stat.filemode(mode)})")
    if not loose:
        return None
    _warned.add(path)
    want = "660" if group else "600"
    return _("{files} can be read by other users of this computer; chmod {mode} "
             "{path}*").format(files=", ".join(loose), mode=want, path=path)
