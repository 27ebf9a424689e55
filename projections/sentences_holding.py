"""The audit trail's sentences for the holding of a case and its référent de parcours
(`projections.summaries` gathers them with the others). No reason is kept: it is sealed."""

from __future__ import annotations

from domain import event_classes as ev
from domain.wording import N_
from projections.sentence import INSTITUTION, Actors, Lines, Summary, actor, ident

LINES = Lines()

LINES.say("transfer_offered", N_("{who} offered to transfer the case to {to}"), to=INSTITUTION)
LINES.say("transfer_asked", N_("{who} asked that {to} hold the case"), to=INSTITUTION)
LINES.choose(
    ev.TransferRequested,
    lambda e: Summary(
        "transfer_offered" if e.by.institution_id == e.from_institution_id else "transfer_asked",
        {"to": ident(e.to_institution_id)},
    ),
)
LINES.on(
    ev.TransferAccepted,
    LINES.say("transfer_accepted", N_("{who} accepted a transfer of the case")),
)
LINES.on(
    ev.TransferDeclined,
    LINES.say("transfer_declined", N_("{who} declined a transfer of the case")),
)
LINES.on(
    ev.TransferWithdrawn,
    LINES.say("transfer_withdrawn", N_("{who} withdrew a transfer request of the case")),
)
LINES.on(
    ev.ReferentAssigned,
    LINES.say(
        "referent_assigned",
        N_("{who} designated {referent} as the référent de parcours"),
        referent=Actors(),
    ),
    lambda e: {"referent": [actor(e.referent)]},
)
