"""Help, one key away: the keys of the screen underneath, listed from its bindings as they
are bound now (tui/screens/keys.py), then what the screen means."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import N_, _
from tui.screens.keys import keys_help

QUEUE_HELP = N_("""\
[b]Today's callback queue[/b]
One line per member due a call today or overdue, most overdue first,
then the most urgent reason, then the member's total spend.
↑ ↓ move through the queue.

[b]In the contact form[/b]
  a digit picks the channel, then one the outcome; space ticks "care";
  next call: YYYY-MM-DD, MM-DD (this year's; a past one is refused) or
  +days; ctrl+s saves; esc cancels. Contacted in the last hour: it says
  who and when, so two guides do not call her twice.
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
               plan's name beside it), due on its own day of the plan:
               spread by each guide's daily capacity
  dormant      no purchase and no contact for a long time
""")


CARD_HELP = N_("""\
[b]A member's card[/b]
The archive with its completeness (hard and soft profile, weights from
settings), what to ask next, the VIP tier, children, gift progress,
purchases, the tracking log, notes and open callbacks.
↑ ↓ PgUp PgDn scroll the card.

[b]In the forms[/b]
  Enter moves to the next field; ctrl+s saves; Esc cancels (and asks first
  when something was typed). A wrong field says why beneath it.
  A sale of several products: ctrl+n puts the line in the basket and picks
  the next product, ctrl+r takes the last line out; Enter saves one receipt.
  v corrects or voids a sale line or a contact, with the reason: its author
  the same day, a manager any day; the callbacks and boards follow.
""")


def with_keys(about: str, keys: str) -> str:
    """The help's text: `about`'s first paragraph (what the screen is), the keys, the rest."""
    head, _gap, rest = about.partition("\n\n")
    return f"{head}\n\n{keys}\n\n{rest}" if rest else f"{head}\n\n{keys}\n"


class HelpScreen(ModalScreen[None]):
    """`about`: what the screen underneath means (an N_-marked text is said in the language
    spoken now); its keys are added from its bindings."""

    BINDINGS = [Binding("escape,question_mark,q", "close", N_("Close"), id="help.close")]

    def __init__(self, about: str = QUEUE_HELP) -> None:
        super().__init__()
        self.about = about
        self.text = about

    def compose(self) -> ComposeResult:
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack else stack[-1]
        self.text = with_keys(_(self.about), keys_help(below))
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(self.text, markup=True)

    def action_close(self) -> None:
        self.dismiss(None)
