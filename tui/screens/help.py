"""Help, one key away: the keys of the screen underneath and what the queue means."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

QUEUE_HELP = """\
[b]Today's callback queue[/b]
One line per member due a call today or overdue, most overdue first,
then the most urgent reason, then the member's total spend.

[b]Keys[/b]
  ↑ ↓  j k      move            Enter     log a contact
  s             mine / whole shop   g      sign out (next person)
  [ ]           previous / next page   r    read again   /  find a member
  ctrl+p        every screen and command   ?  this help   q  quit
  S             staff (manager)      A      assign members (manager)
  l             leaderboards         P      PDCA plans
  e             end-of-day sheet (preview, p prints)

[b]In the contact form[/b]
  digits pick the channel and the outcome; space ticks "care contact";
  next call: YYYY-MM-DD, MM-DD or +days; ctrl+s saves; esc cancels.
  2 no answer: a retry is booked by itself.
  3 declined promotions: no more sales calls.
  7 complaint: a feedback call is booked.   8: never call again.

[b]Reasons[/b]
  complaint    feedback call after a complaint
  follow-up    within a day of a purchase: how is it going, how to use it
  call back    a date a guide booked
  birthday     the member's or a child's birthday, a baby's due date
  running out  the last purchase is about to run out
  campaign     a target of a running PDCA plan, not yet contacted (the
               plan's name beside it)
  dormant      no purchase and no contact for a long time
"""


CARD_HELP = """\
[b]A member's card[/b]
The archive with its completeness (hard and soft profile, weights from
settings), what to ask next, the VIP tier, children, gift progress,
purchases, the tracking log, notes and open callbacks.

[b]Keys[/b]
  ↑ ↓ PgUp PgDn  scroll            Esc q   back
  n   a note on what you noticed   b       record a sale
  e   edit every archive field     c       add a child (or a baby due)
  t   a caring message to copy     /       find another member
  p   promotions: yes / refused    x       do not contact / may contact
  m   merge another record of this person into this one
  E   export everything on file as JSON (manager)
  D   erase the member's personal data on request (manager)
  a   assign the member to a guide; open callbacks follow (manager)

[b]In the forms[/b]
  Enter moves to the next field; ctrl+s saves; Esc cancels (and asks first
  when something was typed). A wrong field says why beneath it.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, text: str = QUEUE_HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.text, markup=True)

    def action_close(self) -> None:
        self.dismiss(None)
