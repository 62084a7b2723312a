"""Printing a text report on paper through CUPS: the queues and their state, the job
handed to `lp` as PostScript (tui.reports.postscript sets it) and followed until printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from tui.i18n import _
from tui.reports.postscript import (PageLayout, PrintError, find_cjk_font, page_layout,
                                    report_postscript)


class PrinterStopped(PrintError):
    """CUPS has stopped the printer (paper out, a jam, a lost connection) and the job waits
    in its queue. str() says what the person at the register can do; `printer` is for the
    caller to add how a manager resumes it there (a key on the screen, a command)."""

    def __init__(self, printer: str, job: str, reason: str) -> None:
        self.printer, self.job, self.reason = printer, job, reason
        super().__init__(_("the printer {printer} is stopped ({reason}) and job {job} waits in "
                           "its queue; check its paper, lid and cable, then a manager resumes "
                           "it").format(printer=printer, reason=reason, job=job))


@dataclass(frozen=True)
class Printer:
    """One CUPS queue as `lpstat -p` describes it."""

    name: str
    stopped: bool  #: disabled by CUPS or by hand: jobs wait until a manager resumes it
    reason: str  #: why it stopped, as CUPS says it ("" when it is not stopped or says nothing)
    default: bool = False


# -- settings --------------------------------------------------------------------------------

def printing_defaults(settings) -> tuple[str, int | None]:
    """The printer ("" = CUPS's default) and width named in settings under [printing]."""
    return settings.printing.printer, settings.printing.width


# -- CUPS ------------------------------------------------------------------------------------

def _cups(*args: str, stdin: bytes | None = None, timeout: float = 30.0) -> subprocess.CompletedProcess:
    tool = shutil.which(args[0])
    if tool is None:
        raise PrintError(_("CUPS is not installed here (no '{tool}' command); "
                           "Debian: apt-get install cups cups-client").format(tool=args[0]))
    try:
        return subprocess.run(list(args), executable=tool, input=stdin, capture_output=True,
                              timeout=timeout, env={**os.environ, "LC_ALL": "C"})
    except subprocess.TimeoutExpired:
        raise PrintError(_("CUPS did not answer within {seconds:.0f} s ({tool}); "
                           "is the scheduler running? (lpstat -r)").format(
            seconds=timeout, tool=args[0])) from None


def _said(proc: subprocess.CompletedProcess) -> str:
    words = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
    return " ".join(words.split()) or _("exit status {code}").format(code=proc.returncode)


def _not_running(message: str) -> bool:
    return any(s in message.lower() for s in (
        "scheduler not responding", "unable to connect", "connection refused",
        "no such file or directory", "bad file descriptor", "scheduler is not running",
        "unable to lookup", "name or service not known", "temporary failure in name resolution"))


def scheduler_running() -> bool:
    """Whether the CUPS scheduler answers (lpstat -r)."""
    try:
        proc = _cups("lpstat", "-r", timeout=10)
    except PrintError:
        return False
    return "scheduler is running" in proc.stdout.decode("utf-8", "replace")


def printers() -> list[str]:
    """The CUPS queues on this machine, by name; [] when there are none or no CUPS."""
    try:
        proc = _cups("lpstat", "-e", timeout=10)
    except PrintError:
        return []
    if proc.returncode != 0:
        return []
    return sorted(line.strip() for line in proc.stdout.decode("utf-8", "replace").splitlines()
                  if line.strip())


def default_printer() -> str | None:
    """CUPS's default destination (lpstat -d, or $PRINTER / $LPDEST), if any."""
    try:
        proc = _cups("lpstat", "-d", timeout=10)
    except PrintError:
        return None
    match = re.search(r"system default destination:\s*(\S+)", proc.stdout.decode("utf-8", "replace"))
    return match.group(1) if match else None


def printer_list() -> list[Printer]:
    """Every CUPS queue here with its state, by name; [] when there are none or no CUPS.
    Raises PrintError when CUPS is not installed or does not answer."""
    proc = _cups("lpstat", "-p", timeout=10)
    if proc.returncode != 0 and _not_running(_said(proc)):
        raise PrintError(_("CUPS is not running or cannot be reached ({said}); "
                           "start it (Debian: service cups start, or cupsd)").format(
            said=_said(proc)))
    default = default_printer()
    found: list[Printer] = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        match = re.match(r"printer (\S+) (?:is )?(\w+)", line)
        if match:
            name, state = match.groups()
            found.append(Printer(name, state == "disabled", "", name == default))
        elif found and line.startswith(("\t", " ")) and found[-1].stopped and line.strip():
            last = found[-1]
            reason = " ".join(line.split()) if not last.reason else f"{last.reason} {' '.join(line.split())}"
            found[-1] = Printer(last.name, True, reason, last.default)
    return sorted(found, key=lambda p: p.name)


def resume_printer(printer: str) -> None:
    """Let a stopped printer print again and take new jobs (cupsenable, cupsaccept): its
    waiting jobs go out. Raises PrintError with CUPS's words when it refuses (the user
    the program runs as may not manage printers)."""
    for tool in ("cupsenable", "cupsaccept"):
        proc = _cups(tool, printer, timeout=15)
        if proc.returncode != 0:
            raise PrintError(_("CUPS did not resume {printer} ({said}); a user with printer "
                               "rights runs: cupsenable {printer}; cupsaccept {printer}").format(
                printer=printer, said=_said(proc)))


def _printer_state(printer: str) -> tuple[str, str]:
    """("idle" | "printing" | "disabled" | "unknown", the state as lpstat words it)."""
    proc = _cups("lpstat", "-p", printer, timeout=10)
    words = " ".join(proc.stdout.decode("utf-8", "replace").split())
    for state in ("disabled", "idle", "printing"):
        if re.search(rf"\b{state}\b", words.split(".")[0] if words else ""):
            return state, words
    return "unknown", words or _said(proc)


def _submit(document: bytes, printer: str | None, title: str, options: tuple[str, ...]) -> str:
    with tempfile.NamedTemporaryFile(prefix="shopfloor-", suffix=".ps") as handle:
        handle.write(document)
        handle.flush()
        args = ["lp", "-t", title]
        if printer:
            args += ["-d", printer]
        for option in options:
            args += ["-o", option]
        proc = _cups(*args, handle.name)
    said = _said(proc)
    if proc.returncode == 0:
        match = re.search(r"request id is (\S+)", said)
        if match:
            return match.group(1)
        raise PrintError(_("CUPS took the job but gave no job id ({said})").format(said=said))
    lowered = said.lower()
    if _not_running(said) or not scheduler_running():
        where = os.environ.get("CUPS_SERVER")
        at = _(" at CUPS_SERVER={where}").format(where=where) if where else ""
        raise PrintError(_("CUPS is not running or cannot be reached{at} ({said}); "
                           "start it (Debian: service cups start, or cupsd)").format(
            at=at, said=said))
    if "does not exist" in lowered or "unknown destination" in lowered or "not found" in lowered:
        known = ", ".join(printers()) or _("none")
        raise PrintError(_("no printer named {printer!r}; printers here: {known}").format(
            printer=printer, known=known))
    if "no default destination" in lowered:
        known = ", ".join(printers()) or _("none")
        raise PrintError(_("no printer named and CUPS has no default printer; printers here: "
                           "{known}").format(known=known))
    if "not accepting jobs" in lowered:
        raise PrintError(_("printer {printer!r} is not taking jobs ({said}); pick another "
                           "printer, or a manager resumes it (cupsaccept {printer})").format(
            printer=printer, said=said))
    raise PrintError(_("printing failed: {said}").format(said=said))


def _job_state(job: str, printer: str) -> str:
    """"pending" while the job is queued or printing, "completed" once it is done,
    "gone" when CUPS lists it nowhere (aborted or cancelled)."""
    for which, state in (("not-completed", "pending"), ("completed", "completed")):
        proc = _cups("lpstat", "-W", which, "-o", printer, timeout=10)
        listed = proc.stdout.decode("utf-8", "replace").split()
        if job in listed:
            return state
    return "gone"


def wait_for_job(job: str, printer: str, timeout: float = 30.0, poll: float = 0.2) -> str:
    """Wait until CUPS has printed the job; raise PrintError when the printer stops or
    drops it. After `timeout` a job still queued on a working printer is left to print:
    "pending" is returned."""
    deadline = time.monotonic() + timeout
    while True:
        state = _job_state(job, printer)
        if state == "completed":
            return state
        printer_state, words = _printer_state(printer)
        if printer_state == "disabled":
            reason = (words.split(" - ", 1)[1].strip() if " - " in words
                      else _("CUPS gives no reason"))
            raise PrinterStopped(printer, job, reason)
        if state == "gone":
            raise PrintError(_("job {job} was cancelled or aborted by CUPS ({words})").format(
                job=job, words=words))
        if time.monotonic() >= deadline:
            return state
        time.sleep(poll)


def print_report(text: str, printer: str | None, width: int, title: str = "shopfloor-report",
                 wait: float = 30.0, options: tuple[str, ...] = ()) -> str:
    """Print the text report on `printer` (None: CUPS's default) and return the CUPS job
    id. The PDF is set for `width` columns (see page_layout). Waits up to `wait` seconds
    for the job to go through, so a printer that stops or a job that aborts is an error
    here rather than a silent loss; 0 returns once the job is queued. Raises PrintError
    with one line when CUPS is missing or not running, the printer is unknown, or the
    job fails."""
    document = report_postscript(text, width, title)
    job = _submit(document, printer, re.sub(r"[^\w.-]+", "-", title, flags=re.ASCII), options)
    if wait > 0:
        queue = printer or job.rsplit("-", 1)[0]
        wait_for_job(job, queue, wait)
    return job


__all__ = ["PageLayout", "PrintError", "Printer", "PrinterStopped", "default_printer",
           "find_cjk_font", "page_layout", "printing_defaults", "print_report", "printer_list",
           "printers", "report_postscript", "resume_printer", "scheduler_running",
           "wait_for_job"]
