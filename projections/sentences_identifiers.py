"""The audit trail's sentences for national identifiers (FINESS, SIRET, RPPS, ADELI): an
institution's or a professional's numbers set, and who holds each number (`projections.summaries`
gathers them with the others). The numbers are public registry numbers, not personal data."""

from __future__ import annotations

from typing import Any

from domain import event_classes as ev
from domain.identifiers import INSTITUTION_SCHEMES, Scheme
from domain.wording import N_
from projections.sentence import INSTITUTION, PROFESSIONAL, Lines, Summary, Text, ident

LINES = Lines()

LINES.say(
    "institution_identified",
    N_("National identifiers of {institution}: {numbers}"),
    institution=INSTITUTION,
    numbers=Text(),
)
LINES.say(
    "institution_unidentified",
    N_("{institution} no longer has a national identifier"),
    institution=INSTITUTION,
)
LINES.say(
    "professional_identified",
    N_("National identifiers of {professional}: {numbers}"),
    professional=PROFESSIONAL,
    numbers=Text(),
)
LINES.say(
    "professional_unidentified",
    N_("{professional} no longer has a national identifier"),
    professional=PROFESSIONAL,
)
# A claim on a number, taken or released, by its holder's kind (the same sentence for both).
for _kind, _holder in (("institution", INSTITUTION), ("professional", PROFESSIONAL)):
    LINES.say(
        f"identifier_claimed_{_kind}",
        N_("{scheme} {number} now identifies {holder}"),
        scheme=Text(),
        number=Text(),
        holder=_holder,
    )
    LINES.say(
        f"identifier_released_{_kind}",
        N_("{scheme} {number} no longer identifies {holder}"),
        scheme=Text(),
        number=Text(),
        holder=_holder,
    )


def _numbers(**held: str | None) -> str:
    """`FINESS 350005179, SIRET 26350007600015`: codes and numbers, no words to translate."""
    return ", ".join(f"{name.upper()} {number}" for name, number in held.items() if number)


def _institution(e: Any) -> Summary:
    numbers = _numbers(finess=e.finess, siret=e.siret)
    values = {"institution": ident(e.originator_id)}
    if not numbers:
        return Summary("institution_unidentified", values)
    return Summary("institution_identified", {**values, "numbers": numbers})


def _professional(e: Any) -> Summary:
    numbers = _numbers(rpps=e.rpps, adeli=e.adeli)
    values = {"professional": ident(e.originator_id)}
    if not numbers:
        return Summary("professional_unidentified", values)
    return Summary("professional_identified", {**values, "numbers": numbers})


def _claim(change: str) -> Any:
    def summary(e: Any) -> Summary:
        holder = "institution" if Scheme(e.scheme) in INSTITUTION_SCHEMES else "professional"
        return Summary(
            f"identifier_{change}_{holder}",
            {"scheme": e.scheme.upper(), "number": e.number, "holder": ident(e.holder_id)},
        )

    return summary


LINES.choose(ev.InstitutionIdentified, _institution)
LINES.choose(ev.ProfessionalIdentified, _professional)
LINES.choose(ev.IdentifierClaimed, _claim("claimed"))
LINES.choose(ev.IdentifierReclaimed, _claim("claimed"))
LINES.choose(ev.IdentifierReleased, _claim("released"))
