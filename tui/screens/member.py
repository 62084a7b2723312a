"""A member's card: who they are, how complete the archive is, what to ask, their history."""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from tui.db.callbacks.contacts import ContactLogged
from tui.db.callbacks.queue import QueueLine, QueueReason
from tui.db.members.card import MemberCard, member_card
from tui.i18n import N_, _, ngettext
from tui.reports.member import card_text
from tui.screens.base import ReadScreen
from tui.widgets.footer import ShopFooter

# screens this one opens are imported where they open, for start-up time (tui/screens/__init__.py)


class MemberScreen(ReadScreen):
    """A member's card: the archive, what to ask next, the history, the open callbacks."""
    reading = N_("the member")
    follows_changes = True

    BINDINGS = [
        Binding("escape,q", "back", N_("Back"), tooltip=N_("back"), id="card.back"),
        Binding("enter", "log_contact", N_("Contact"), id="card.contact",
                tooltip=N_("log a contact: a walk-in, a call she made, with or without a call due")),
        Binding("n", "note", N_("Note"), tooltip=N_("a note on what you noticed"), id="card.note"),
        Binding("b", "sale", N_("Sale"), tooltip=N_("record a sale"), id="card.sale"),
        Binding("p", "promotions", N_("Promos"), show=False,
                tooltip=N_("promotions: yes / refused"), id="card.promotions"),
        Binding("x", "do_not_contact", N_("No contact"),
                show=False, tooltip=N_("do not contact / may contact"), id="card.do_not_contact"),
        Binding("t", "templates", N_("Message"),
                tooltip=N_("a caring message to copy"), id="card.templates"),
        Binding("slash", "app.lookup", N_("Find"),
                show=False, tooltip=N_("find another member"), id="card.lookup"),
        Binding("e", "edit", N_("Edit"), tooltip=N_("edit every archive field"), id="card.edit"),
        Binding("c", "child", N_("Child"),
                show=False, tooltip=N_("add a child (or a baby due)"), id="card.child"),
        Binding("m", "merge", N_("Merge"), show=False, id="card.merge",
                tooltip=N_("merge another record of this person into this one")),
        Binding("E", "export", N_("Export"), show=False, id="card.export",
                tooltip=N_("export everything on file as JSON (manager)")),
        Binding("D", "erase", N_("Erase"), show=False, id="card.erase",
                tooltip=N_("erase the personal data on request (manager)")),
        Binding("a", "assign", N_("Assign"), show=False,
                id="card.assign",
                tooltip=N_("assign to a guide; open callbacks follow (manager)")),  # refused to a guide
        Binding("v", "correct", N_("Correct"), show=False, id="card.correct",
                tooltip=N_("correct or void a sale line or a contact (author that day, or manager)")),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("this help"), id="card.help"),
    ]

    def __init__(self, member_id: int) -> None:
        super().__init__()
        self.member_id = member_id
        self.card: MemberCard | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Static(_("Reading the card…"), id="card-body", markup=False)
        yield ShopFooter()

    def on_mount(self) -> None:
        self.query_one("#card", VerticalScroll).focus()  # ↑↓ PgUp PgDn scroll the card
        self.load()

    def read_page(self) -> MemberCard:
        return member_card(self.member_id, self.app.today(), self.app.settings,
                           viewer=self.app.viewer)

    def show_page(self, card: MemberCard) -> None:
        self.card = card
        archive = self.app.settings.archive
        self.query_one("#card-body", Static).update(
            card_text(card, archive.hard_fields, archive.soft_fields))

    def job_failed(self, words: str, worker: Worker) -> None:
        if self.card is None:  # nothing on the card yet: the reason is the card
            self.query_one("#card-body", Static).update(words)
        else:
            super().job_failed(words, worker)

    def action_note(self) -> None:
        from tui.screens.note_form import NoteForm

        if not self._writable():
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(_("Note saved."))
                self.load()

        self.app.push_screen(NoteForm(self.card.member_id, self.card.name), saved)

    def action_log_contact(self) -> None:
        """The queue's contact form, for this member: a walk-in or an incoming call needs
        no callback due; one that is due is answered by it, as from the queue."""
        from tui.screens.contact_form import ContactForm

        if not self._writable():
            return
        card = self.card

        def saved(result: ContactLogged | None) -> None:
            if result is None:
                return
            words = _("Contact with {name} logged").format(name=card.name)
            if result.callbacks_done:
                words += _("; ") + ngettext("{n} callback done", "{n} callbacks done",
                                            result.callbacks_done).format(n=result.callbacks_done)
            if result.next_contact_on:
                words += _("; ") + _("next call {day}").format(
                    day=f"{result.next_contact_on:%Y-%m-%d}")
            self.notify(words + _("."), markup=False)
            self.load()

        self.app.push_screen(ContactForm(contact_line(card, self.app.today()), self.app.user_id,
                                         self.app.today()), saved)

    def action_sale(self) -> None:
        from tui.screens.sale_form import SaleForm

        if not self._writable():
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(_("Sale recorded."))
                self.load()

        self.app.push_screen(SaleForm(self.card.member_id, self.card.name), saved)

    def action_promotions(self) -> None:
        """Record the member's answer on promotions: yes becomes no, no (or not asked) yes."""
        if not self._writable():
            return
        accepts = self.card.accepts_promotions is not True
        question = (_("{name} accepts promotional messages?") if accepts else
                    _("{name} refuses promotions? Sales calls stop at once.")).format(
                        name=self.card.name)
        self._confirm_then(question, promotions=accepts)

    def action_do_not_contact(self) -> None:
        if not self._writable():
            return
        stop = not self.card.do_not_contact
        question = (_("Never contact {name} again? Every open call is cancelled.") if stop
                    else _("{name} may be contacted again?")).format(name=self.card.name)
        self._confirm_then(question, weighty=stop, do_not_contact=stop)  # cancels every call

    def _confirm_then(self, question: str, weighty: bool = False, **answer: bool) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.write_consent(answer)

        self.app.push_screen(ConfirmScreen(question, weighty=weighty), answered)

    @work(thread=True, exclusive=True, group="consent", name=N_("Not saved"), exit_on_error=False)
    def write_consent(self, answer: dict) -> None:
        from tui.db.members.card import set_consent

        app = self.app
        set_consent(self.member_id, app.clock.now(), app.settings, staff_id=app.user_id or None,
                    **answer)
        app.call_from_thread(self.load)

    def action_templates(self) -> None:
        """A caring message from the library, filled in from this card, to copy."""
        from tui.screens.templates import TemplatesScreen

        if self.card is None:
            return
        settings = self.app.settings
        self.app.push_screen(TemplatesScreen(self.card, settings.templates, str(settings.source)))

    def _writable(self) -> bool:
        """The card is read and the member not erased; else say why nothing can change."""
        if self.card is None:
            return False
        if self.card.erased_at is not None:
            self.notify(_("{member_no} was erased on request; nothing can be added.").format(
                            member_no=self.card.member_no),
                        severity="warning", markup=False)
            return False
        return True

    def _manager(self, refusal: str) -> bool:
        """A manager's action: a guide is told so (and it is audited) before anything is asked."""
        if not self.app.is_manager:
            self.app.refuse(refusal)
            return False
        return True

    def action_help(self) -> None:
        from tui.screens.help import CARD_HELP, HelpScreen

        self.app.push_screen(HelpScreen(CARD_HELP))

    def action_edit(self) -> None:
        from tui.db.audit import PermissionDenied
        from tui.db.members.archive import member_on_file
        from tui.screens.member_form import MemberForm

        if not self._writable():
            return
        try:
            on_file = member_on_file(self.member_id, viewer=self.app.viewer)
        except PermissionDenied as exc:
            self.app.refuse(str(exc))
            return

        def saved(member_id: int | None) -> None:
            if member_id is not None:
                self.notify(_("Saved."))
                self.load()

        self.app.push_screen(MemberForm(on_file), saved)

    def action_child(self) -> None:
        from tui.screens.child_form import ChildForm

        if not self._writable():
            return

        def saved(done: bool | None) -> None:
            if done:
                self.notify(_("Child saved."))
                self.load()

        self.app.push_screen(ChildForm(self.card.member_id, self.card.name), saved)

    def action_merge(self) -> None:
        """Pick the other record of this person; its history moves onto this card."""
        from tui.screens.confirm import ConfirmScreen
        from tui.screens.lookup import LookupScreen

        if not self._writable():
            return
        card = self.card

        def picked(other: int | None) -> None:
            if other is None:
                return
            if other == card.member_id:
                self.notify(_("That is this same member; pick the other record."),
                            severity="warning")
                return
            self.app.push_screen(ConfirmScreen(
                _("Merge the record you picked into {name} {member_no}? Its purchases, "
                  "contacts, notes and children move here and it is removed; fields that differ "
                  "are kept in a note.").format(name=card.name, member_no=card.member_no),
                weighty=True),
                lambda yes: self.write_merge(other) if yes else None)

        self.app.push_screen(LookupScreen(pick=_("Merge into {name} {member_no}: find the other "
                                                 "record, Enter picks it").format(
                                                     name=card.name, member_no=card.member_no)),
                             picked)

    @work(thread=True, exclusive=True, group="archive", name=N_("Not merged"), exit_on_error=False)
    def write_merge(self, other: int) -> None:
        from tui.db.members.archive import merge_members

        app = self.app
        merged = merge_members(self.member_id, other, app.user_id, app.clock.now(), app.settings)
        count = len(merged.conflicts)
        kept = (_("; ") + ngettext("{n} differing field kept in a note",
                                   "{n} differing fields kept in a note", count).format(n=count)
                if count else "")
        app.call_from_thread(self.notify, _("{dropped} merged into {kept}").format(
            dropped=merged.dropped_no, kept=merged.kept_no) + kept + _("."), markup=False)
        app.call_from_thread(self.load)

    def action_export(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        if self.card is None or not self._manager(
                _("Only a manager can export a member's data; sign in as a manager (g on the "
                  "queue).")):
            return  # refused before it is asked: a guide is not asked to confirm in vain
        self.app.push_screen(
            ConfirmScreen(_("Export everything on file about {name} {member_no} to a JSON "
                            "file? The export is audited.").format(
                                name=self.card.name, member_no=self.card.member_no),
                          weighty=True),
            lambda yes: self.write_export() if yes else None)

    @work(thread=True, exclusive=True, group="archive", name=N_("Not exported"),
          exit_on_error=False)
    def write_export(self) -> None:
        import json

        from tui.db.members.archive import export_member
        from tui.files import first_free, private_folder, write_new

        app = self.app
        group = app.settings.database.file_group
        data = export_member(self.member_id, app.user_id, app.clock.now())
        # personal data: a 0700 folder, a new 0600 file, never over a file or a symlink
        folder = private_folder(app.settings.database.path.parent / "exports", group)
        path = write_new(first_free(folder, f"{data['member']['member_no']}-{app.today():%Y%m%d}", ".json"),
                         json.dumps(data, ensure_ascii=False, indent=2), group)
        app.call_from_thread(self.notify, _("Exported to {path}").format(path=path), markup=False,
                             timeout=10)

    def action_erase(self) -> None:
        from tui.screens.confirm import TypedConfirmScreen

        if not self._writable() or not self._manager(
                _("Only a manager can erase a member; sign in as a manager (g on the queue).")):
            return
        self.app.push_screen(
            TypedConfirmScreen(_("Erase {name}'s personal data for good? Name, phone, birthday, "
                                 "notes and children are removed; purchase totals stay without "
                                 "a name. This cannot be undone.").format(name=self.card.name),
                               self.card.member_no),
            lambda yes: self.write_erase() if yes else None)

    @work(thread=True, exclusive=True, group="archive", name=N_("Not erased"), exit_on_error=False)
    def write_erase(self) -> None:
        from tui.db.members.archive import erase_member

        app = self.app
        number = erase_member(self.member_id, app.user_id, app.clock.now())
        app.call_from_thread(self.notify, _("{member_no}: personal data erased.").format(
            member_no=number), markup=False)
        app.call_from_thread(self.load)

    def action_assign(self) -> None:
        """Give this member (and their open callbacks) to a guide: a manager's."""
        from tui.screens.assign import assign_from_card

        if self._writable():
            assign_from_card(self, self.member_id, f"{self.card.name} {self.card.member_no}",
                             self.load)

    def action_correct(self) -> None:
        """A sale line or a contact typed wrong: put right or voided, with the reason."""
        from tui.screens.corrections import CorrectionsScreen

        if not self._writable():
            return

        def done(words: str | None) -> None:
            if words:
                self.notify(words, markup=False)
                self.load()

        self.app.push_screen(CorrectionsScreen(self.card.member_id, self.card.name), done)

    def action_back(self) -> None:
        self.app.pop_screen()


def contact_line(card: MemberCard, today: date) -> QueueLine:
    """The card as the contact form's line: the member and the callbacks due today or
    before (the contact answers them), none for a walk-in with nothing due."""
    due = tuple(QueueReason(c.reason, c.due_on, c.detail) for c in card.callbacks
                if c.due_on <= today)
    first = min((r.due_on for r in due), default=today)
    phone = card.fields.get("phone")
    return QueueLine(member_id=card.member_id, member_no=card.member_no, name=card.name,
                     phone=phone if isinstance(phone, str) else None,
                     phone_tail=phone[-4:] if isinstance(phone, str) else None,
                     due_on=first, days_overdue=(today - first).days, reasons=due,
                     owner=card.owner,
                     last_contact_at=card.contacts[0].contacted_at if card.contacts else None,
                     total_spend_cents=card.total_spend_cents)
