"""`shopfloor setup-ssh`: the authorized_keys lines of the intended set-up, one forced
command per person, so a guide's SSH key opens the app signed in as nobody but her.

Each command imports what it needs inside its function, for start-up time: `shopfloor
--help` and a cron line never load textual, and a command loads only its own domain.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from tui.cli.common import UsageError, open_existing
from tui.i18n import _
from tui.clock import Clock
from tui.settings import Settings


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    ssh = sub.add_parser(
        "setup-ssh", parents=[common],
        help=_("print the authorized_keys lines: each person's key runs the app as that person"))
    ssh.add_argument("--keys", metavar="DIR", type=Path, default=None,
                     help=_("a folder of public keys named NAME.pub, one per person "
                          "(default: ssh-keys beside the settings file)"))


def forced_line(name: str, key: str, settings: Settings) -> str:
    """One authorized_keys line: the key may run only the app, as NAME, with a terminal."""
    command = " ".join(shlex.quote(part) for part in (
        sys.executable, "-m", "tui", "--settings", str(settings.source), "--guide", name))
    quoted = command.replace("\\", "\\\\").replace('"', '\\"')  # inside command="…"
    return f'command="{quoted}",restrict,pty {key}'


def cmd_setup_ssh(args: argparse.Namespace, settings: Settings, clock: Clock) -> int:
    from tui.db.staff import active_staff

    folder = (args.keys or settings.source.parent / "ssh-keys").expanduser()
    if not folder.is_dir():
        raise UsageError(_("{folder}: no such folder; put each person's public key there as "
                           "NAME.pub (张丽.pub)").format(folder=folder))
    open_existing(settings)
    for staff in active_staff():
        key_file = folder / f"{staff.name}.pub"
        try:
            keys = [k.strip() for k in key_file.read_text(encoding="utf-8").splitlines()
                    if k.strip() and not k.startswith("#")]
        except FileNotFoundError:
            print("shopfloor: " + _("no key for {name} (put it in {file})").format(
                name=staff.name, file=key_file), file=sys.stderr)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(_("{file}: cannot read it ({why})").format(file=key_file, why=exc)) from None
        for key in keys:
            if "\n" in key or not key.startswith(("ssh-", "ecdsa-", "sk-")):
                raise UsageError(_("{file}: not a public key line (ssh-ed25519 AAAA… comment)")
                                 .format(file=key_file))
            print(forced_line(staff.name, key, settings))
    return 0


COMMANDS = {"setup-ssh": cmd_setup_ssh}
