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
  s             mine / whole shop   g      who is working
  [ ]           previous / next page   r    read again   /  find a member
  ctrl+p        every screen and command   ?  this help   q  quit

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
  dormant      no purchase and no contact for a long time
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(QUEUE_HELP, markup=True)

    def action_close(self) -> None:
        self.dismiss(None)
