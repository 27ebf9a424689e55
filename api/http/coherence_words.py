"""A case's coherence in sentences: each alert, each step of its history and each exchange,
worded at reading time in the reader's language (`api.i18n.Words`, French by default) with the
registry's current names (`projections.names`) — never stored, never in the domain, which keeps
the alert's kind and structured values (`domain.coherence_alerts`).

A name the registry does not know (yet) is shown as its id: a sentence never has a hole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from uuid import UUID

from api.i18n import Words
from domain.coherence import NO_CONVENTION, Alert, ExchangeLine
from domain.delegation import Lapse
from domain.labels import labels
from domain.partnership import ConventionLack
from domain.values import AlertKind, DelegationGap
from domain.wording import N_
from projections.names import Names

# What a delegation or a convention was, at the instant that matters: a noun phrase.
DELEGATION_PHRASES: dict[str, str] = {
    Lapse.REVOKED: N_("a delegation revoked on {date}"),
    Lapse.EXPIRED: N_("a delegation that expired on {date}"),
    Lapse.NOT_YET_VALID: N_("a delegation valid only from {date}"),
}
CONVENTION_PHRASES: dict[str, str] = {
    ConventionLack.SUSPENDED: N_("the convention “{title}”, suspended since {date}"),
    ConventionLack.TERMINATED: N_("the convention “{title}”, terminated on {date}"),
    ConventionLack.EXPIRED: N_("the convention “{title}”, which expired on {date}"),
    ConventionLack.NOT_YET_IN_FORCE: N_("the convention “{title}”, in force only from {date}"),
    ConventionLack.NOT_SIGNED: N_("the convention “{title}”, not signed by all its parties"),
}


class CoherenceWords:
    """Words for one coherence view: a language and the names of what it mentions."""

    def __init__(self, words: Words, found: Names) -> None:
        self.words = words
        self.found = found

    # --- names and labels -----------------------------------------------------------------

    def institution(self, ident: UUID | None) -> str:
        return self.found.institution(ident) or str(ident)

    def professional(self, ident: UUID | None) -> str:
        return self.found.professional(ident) or str(ident)

    def who(self, professional_id: UUID | None, institution_id: UUID | None) -> str:
        """`Marc Dupont (AEMO Nord)`."""
        return f"{self.professional(professional_id)} ({self.institution(institution_id)})"

    def title(self, partnership_id: UUID | None) -> str:
        return self.found.partnership(partnership_id) or str(partnership_id)

    def listed(self, family: str, codes: Iterable[str]) -> str:
        """`situation familiale, santé`: labels (`domain.labels`) in running text."""
        return ", ".join(text[:1].lower() + text[1:] for text in labels(self.words, family, codes))

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "?"
        return _day(self.words.language, self.words.zone, value)

    def basis(self, alert: Alert) -> str:
        """The delegation or convention an alert is about, as it stood: a noun phrase."""
        reason, day = alert.reason or "", self.date(alert.reason_since)
        if alert.delegation_id is not None:
            template = DELEGATION_PHRASES.get(reason)
            if template is None:
                return self.words.gettext("a delegation unknown to the registry")
            return self.words.gettext(template, date=day)
        template = CONVENTION_PHRASES.get(reason)
        if template is None or alert.partnership_id is None:
            return self.words.gettext("a convention unknown to the registry")
        return self.words.gettext(template, title=self.title(alert.partnership_id), date=day)

    # --- alerts -----------------------------------------------------------------------------

    def alert(self, alert: Alert) -> str:
        """The alert as a sentence a supervisor understands."""
        return SENTENCES[alert.kind](self, alert)

    def history(self, alert: Alert, note: str | None) -> list[tuple[str, datetime, str]]:
        """Its steps: raised, resolved (if its cause was remedied), acknowledged (with the
        note, opened for this reader)."""
        raised = self.words.gettext("Raised on {date}.", date=self.date(alert.raised_at))
        steps = [("raised", alert.raised_at, raised)]
        if alert.resolved_at is not None:
            steps.append(("resolved", alert.resolved_at, self._resolved(alert)))
        ack = alert.acknowledgement
        if ack is not None:
            said = self.words.gettext(
                "Acknowledged on {date} by {who}: “{note}”",
                date=self.date(ack.occurred_at),
                who=self.who(ack.by.professional_id, ack.by.institution_id),
                note=note if note is not None else "…",
            )
            steps.append(("acknowledged", ack.occurred_at, said))
        return steps

    def _resolved(self, alert: Alert) -> str:
        day = self.date(alert.resolved_at)
        by = alert.resolved_by
        if alert.kind == AlertKind.EXCHANGE_WITHOUT_CONVENTION and by is not None:
            return self.words.gettext(
                "Resolved on {date}: the convention “{title}” is in force.",
                date=day,
                title=self.title(by.aggregate_id),
            )
        if alert.kind == AlertKind.SHARED_BEYOND_CONSENT:
            return self.words.gettext(
                "Resolved on {date}: a consent now covers what was shared.", date=day
            )
        return self.words.gettext("Resolved on {date}.", date=day)

    # --- exchanges --------------------------------------------------------------------------

    def exchange(self, line: ExchangeLine) -> str:
        """What made a share lawful: a legal ground, or a consent (within a convention, or
        with none in force between the two)."""
        values = {
            "sender": self.institution(line.from_institution_id),
            "recipient": self.institution(line.to_institution_id),
            "date": self.date(line.occurred_at),
            "categories": self.listed("information_category", line.categories),
        }
        if line.lawful_on == "legal_ground":
            return self.words.gettext(
                "{sender} shared information ({categories}) with {recipient} on {date}, "
                "lawfully, on the legal ground {reference}.",
                reference=line.legal_reference or "?",
                **values,
            )
        if line.convention_id is not None:
            return self.words.gettext(
                "{sender} shared information ({categories}) with {recipient} on {date}, under "
                "a consent, within the convention “{title}”.",
                title=self.title(line.convention_id),
                **values,
            )
        return self.words.gettext(
            "{sender} shared information ({categories}) with {recipient} on {date}, under a "
            "consent, with no convention in force between them.",
            **values,
        )


def _action_without_valid_basis(w: CoherenceWords, a: Alert) -> str:
    return w.words.ngettext(
        "{who} acted on this case under {basis}: {n} act without a valid basis.",
        "{who} acted on this case under {basis}: {n} acts without a valid basis.",
        a.count,
        who=w.who(a.professional_id, a.institution_id),
        basis=w.basis(a),
    )


def _act_outside_delegation(w: CoherenceWords, a: Alert) -> str:
    who = w.who(a.professional_id, a.institution_id)
    if a.reason == DelegationGap.OUTSIDE_SCOPE:
        return w.words.ngettext(
            "{who} acted on this case outside the scope of their delegation ({kinds}): {n} act "
            "recorded as informal.",
            "{who} acted on this case outside the scope of their delegation ({kinds}): {n} acts "
            "recorded as informal.",
            a.count,
            who=who,
            kinds=w.listed("action_kind", a.action_kinds),
        )
    return w.words.ngettext(
        "{who} acted on this case under {basis}: {n} act recorded as informal.",
        "{who} acted on this case under {basis}: {n} acts recorded as informal.",
        a.count,
        who=who,
        basis=w.basis(a),
    )


def _delegation_lapsed_in_use(w: CoherenceWords, a: Alert) -> str:
    return w.words.gettext(
        "{who} still acts on this case under {basis}.",
        who=w.who(a.professional_id, a.institution_id),
        basis=w.basis(a),
    )


def _exchange_without_convention(w: CoherenceWords, a: Alert) -> str:
    pair = {
        "first": w.institution(a.institution_id),
        "second": w.institution(a.counterpart_institution_id),
    }
    if a.reason == NO_CONVENTION or a.partnership_id is None:
        return w.words.ngettext(
            "{first} and {second} exchanged information on this case {n} time with no "
            "convention between them.",
            "{first} and {second} exchanged information on this case {n} times with no "
            "convention between them.",
            a.count,
            **pair,
        )
    return w.words.ngettext(
        "{first} and {second} exchanged information on this case {n} time with no convention "
        "in force between them: {convention}.",
        "{first} and {second} exchanged information on this case {n} times with no convention "
        "in force between them: {convention}.",
        a.count,
        convention=w.basis(a),
        **pair,
    )


def _shared_beyond_consent(w: CoherenceWords, a: Alert) -> str:
    return w.words.gettext(
        "{sender} shared information ({categories}) with {recipient} on {date}, beyond the "
        "consent in force at the time.",
        sender=w.institution(a.institution_id),
        recipient=w.institution(a.counterpart_institution_id),
        categories=w.listed("information_category", a.categories),
        date=w.date(a.raised_at),
    )


def _no_coordinator(w: CoherenceWords, a: Alert) -> str:
    return w.words.ngettext(
        "{n} institution acts on this case and there is no référent de parcours.",
        "{n} institutions act on this case and there is no référent de parcours.",
        a.count,
    )


def _idle_actor(w: CoherenceWords, a: Alert) -> str:
    return w.words.ngettext(
        "{who} has not acted on this case for {n} day (last act on {date}).",
        "{who} has not acted on this case for {n} days (last act on {date}).",
        a.count,
        who=w.who(a.professional_id, a.institution_id),
        date=w.date(a.reason_since),
    )


def _referral_expired(w: CoherenceWords, a: Alert) -> str:
    return w.words.gettext(
        "{who} referred the person to {to} on {date}: unanswered, the referral expired on "
        "{expired}.",
        who=w.who(a.professional_id, a.institution_id),
        to=w.institution(a.counterpart_institution_id),
        date=w.date(a.reason_since),
        expired=w.date(a.raised_at),
    )


SENTENCES: dict[AlertKind, Callable[[CoherenceWords, Alert], str]] = {
    AlertKind.ACTION_WITHOUT_VALID_BASIS: _action_without_valid_basis,
    AlertKind.ACT_OUTSIDE_DELEGATION: _act_outside_delegation,
    AlertKind.DELEGATION_LAPSED_IN_USE: _delegation_lapsed_in_use,
    AlertKind.EXCHANGE_WITHOUT_CONVENTION: _exchange_without_convention,
    AlertKind.SHARED_BEYOND_CONSENT: _shared_beyond_consent,
    AlertKind.NO_COORDINATOR: _no_coordinator,
    AlertKind.IDLE_ACTOR: _idle_actor,
    AlertKind.REFERRAL_EXPIRED: _referral_expired,
}


@lru_cache(maxsize=4096)
def _day(language: str, zone: str | None, value: date | datetime) -> str:
    """A day in words (Babel formats slowly; a case's dates come back at each reading)."""
    return Words(language, zone).date(value)
