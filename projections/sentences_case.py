"""The audit trail's sentences for a case and its readings (`projections.summaries` gathers them
with the registry's). `{who}` is the acting professional and their institution, named from the
entry itself; nothing sealed (summaries, reasons, notes, decisions, names of the person) is kept.
"""

from __future__ import annotations

from domain import event_classes as ev
from domain.values import ConsentGiver
from domain.wording import N_
from projections.sentence import (
    INSTITUTION,
    Actors,
    Code,
    Codes,
    Count,
    Day,
    Format,
    Lines,
    NamedList,
    Numbers,
    Speech,
    Summary,
    Text,
    actor,
    ident,
    iso,
)

LINES = Lines()


def _decisions(words: Speech, n: int) -> str:
    return words.ngettext("{n} decision", "{n} decisions", n)


LINES.on(
    ev.CaseOpened,
    LINES.say(
        "case_opened",
        N_("{who} opened the case ({framework} framework), role: {role}"),
        framework=Code("legal_framework"),
        role=Text(),
    ),
    lambda e: {"framework": str(e.legal_framework), "role": e.role},
)
_CONSENT: dict[str, Format] = {
    "categories": Codes("information_category"),
    "recipients": NamedList("institutions"),
}
LINES.say(
    "consent_given_by_beneficiary",
    N_("{who} recorded the person's consent to share {categories} with {recipients}"),
    **_CONSENT,
)
LINES.say(
    "consent_given_by_representative",
    N_("{who} recorded the legal representative's consent to share {categories} with {recipients}"),
    **_CONSENT,
)
LINES.choose(
    ev.ConsentGiven,
    lambda e: Summary(
        "consent_given_by_representative"
        if str(e.giver) == ConsentGiver.LEGAL_REPRESENTATIVE
        else "consent_given_by_beneficiary",
        {
            "categories": [str(c) for c in e.categories],
            "recipients": [ident(r) for r in e.recipients],
        },
    ),
)
LINES.on(
    ev.ConsentWithdrawn,
    LINES.say("consent_withdrawn", N_("{who} recorded that a consent was withdrawn")),
)
LINES.on(
    ev.ParticipantJoined,
    LINES.say("participant_joined", N_("{who} joined the case, role: {role}"), role=Text()),
    lambda e: {"role": e.role},
)
LINES.on(ev.ParticipantLeft, LINES.say("participant_left", N_("{who} left the case")))
LINES.on(
    ev.CoordinatorDesignated,
    LINES.say(
        "coordinator_designated",
        N_("{who} designated {coordinator} as the case's coordinator"),
        coordinator=Actors(),
    ),
    lambda e: {"coordinator": [actor(e.coordinator)]},
)
LINES.on(
    ev.InterventionRecorded,
    LINES.say(
        "intervention_recorded",
        N_("{who} recorded an intervention: {kind}"),
        kind=Code("action_kind"),
    ),
    lambda e: {"kind": str(e.kind)},
)
_SHARE: dict[str, Format] = {"categories": Codes("information_category"), "recipient": INSTITUTION}
LINES.say(
    "shared_under_consent",
    N_("{who} shared {categories} with {recipient}, with the person's consent"),
    **_SHARE,
)
LINES.say(
    "shared_under_ground",
    N_("{who} shared {categories} with {recipient} under {reference}"),
    reference=Text(),
    **_SHARE,
)
LINES.choose(
    ev.InformationShared,
    lambda e: Summary(
        "shared_under_ground" if e.legal_reference else "shared_under_consent",
        {
            "categories": [str(c) for c in e.categories],
            "recipient": ident(e.recipient_institution_id),
            **({"reference": e.legal_reference} if e.legal_reference else {}),
        },
    ),
)
LINES.on(
    ev.ConcerningInformationTransmitted,
    LINES.say(
        "concerning_information",
        N_("{who} sent concerning information to {crip}"),
        crip=INSTITUTION,
    ),
    lambda e: {"crip": ident(e.crip_institution_id)},
)
LINES.on(
    ev.ReferralMade,
    LINES.say("referral_made", N_("{who} referred the person to {to}"), to=INSTITUTION),
    lambda e: {"to": ident(e.to_institution_id)},
)
LINES.on(ev.ReferralAccepted, LINES.say("referral_accepted", N_("{who} accepted a referral")))
LINES.on(ev.ReferralDeclined, LINES.say("referral_declined", N_("{who} declined a referral")))
LINES.on(
    ev.ReferralRevoked,
    LINES.say("referral_revoked", N_("{who} revoked a referral before it was answered")),
)
LINES.on(
    ev.CoordinationMeetingHeld,
    LINES.say(
        "coordination_meeting",
        N_("{who} held a coordination meeting with {attendees}: {decisions}"),
        attendees=Actors(),
        decisions=Count(_decisions),
    ),
    lambda e: {"attendees": [actor(a) for a in e.attendees], "decisions": len(e.decisions)},
)
LINES.on(
    ev.AlertAcknowledged,
    LINES.say(
        "alert_acknowledged",
        N_("{who} acknowledged the alert “{alert}” (case versions {versions})"),
        alert=Code("alert_kind", lower=False),
        versions=Numbers(),
    ),
    lambda e: {"alert": str(e.alert_kind), "versions": [int(v) for v in e.versions]},
)
LINES.on(ev.CaseClosed, LINES.say("case_closed", N_("{who} closed the case")))
LINES.on(ev.CaseReopened, LINES.say("case_reopened", N_("{who} reopened the case")))
LINES.on(
    ev.BeneficiaryErased,
    LINES.say(
        "beneficiary_erased",
        N_("The person's personal data was erased ({ground})"),
        ground=Code("erasure_ground"),
    ),
    lambda e: {"ground": str(e.ground)},
)
LINES.on(
    ev.IdentityRectified,
    LINES.say(
        "identity_rectified",
        N_("The data-protection officer of {institution} rectified the person's identity"),
        institution=INSTITUTION,
    ),
    lambda e: {"institution": ident(e.institution_id)},
)
LINES.say(
    "case_content_read",
    N_("{who} read the “{view}” as {role}, purpose: {purpose}"),
    view=Code("case_view", lower=False),
    role=Code("role"),
    purpose=Code("read_purpose"),
)
# A client application's reading through the catch-up feed is recorded once a day per case and
# purpose (`domain.usecases.feed_readings`): its sentence says the day's others are covered.
LINES.say(
    "case_read_through_feed",
    N_(
        "{who} read the “{view}” as {role}, purpose: {purpose} — its first reading of the "
        "case that day: its further readings that day, for this purpose, are covered by it"
    ),
    view=Code("case_view", lower=False),
    role=Code("role"),
    purpose=Code("read_purpose"),
)
# A data-protection officer is no professional of the registry: named by their institution.
LINES.say(
    "personal_data_exported",
    N_(
        "The data-protection officer of {institution} exported the person's data, purpose: "
        "{purpose}"
    ),
    institution=INSTITUTION,
    purpose=Code("read_purpose"),
)
LINES.choose(
    ev.CaseContentRead,
    lambda e: (
        Summary(
            "personal_data_exported",
            {"institution": ident(e.by.institution_id), "purpose": str(e.purpose)},
        )
        if str(e.view) == "personal_data"
        else Summary(
            "case_read_through_feed" if str(e.view) == "feed" else "case_content_read",
            {"view": str(e.view), "role": str(e.role), "purpose": str(e.purpose)},
        )
    ),
)

# --- corrections: the act is named by when it occurred and its kind, as it stood -----------
_KIND, _DAY = Code("action_kind"), Day()
LINES.say(
    "act_corrected_kind_date",
    N_(
        "{who} corrected the intervention of {was_day} ({was_kind}), recorded in error: now "
        "{kind}, on {day}"
    ),
    was_day=_DAY,
    was_kind=_KIND,
    kind=_KIND,
    day=_DAY,
)
LINES.say(
    "act_corrected_kind",
    N_("{who} corrected the intervention of {was_day} ({was_kind}), recorded in error: now {kind}"),
    was_day=_DAY,
    was_kind=_KIND,
    kind=_KIND,
)
LINES.say(
    "act_corrected_date",
    N_(
        "{who} corrected the intervention of {was_day} ({was_kind}), recorded in error: now on "
        "{day}"
    ),
    was_day=_DAY,
    was_kind=_KIND,
    day=_DAY,
)
LINES.say(
    "act_corrected_summary",
    N_("{who} corrected the summary of the intervention of {was_day} ({was_kind})"),
    was_day=_DAY,
    was_kind=_KIND,
)


def _as_it_stood(e: ev.ActCorrected | ev.ActAnnulled) -> dict[str, str]:
    was_kind, was_at = getattr(e, "was_kind", None), getattr(e, "was_occurred_at", None)
    return {"was_kind": str(was_kind or "other"), "was_day": iso(was_at or e.occurred_at)}


def _corrected(e: ev.ActCorrected) -> Summary:
    kind, day = getattr(e, "kind", None), getattr(e, "act_occurred_at", None)
    key = {
        (True, True): "act_corrected_kind_date",
        (True, False): "act_corrected_kind",
        (False, True): "act_corrected_date",
        (False, False): "act_corrected_summary",
    }[(kind is not None, day is not None)]
    values = _as_it_stood(e)
    if kind is not None:
        values["kind"] = str(kind)
    if day is not None:
        values["day"] = iso(day)
    return Summary(key, values)


LINES.choose(ev.ActCorrected, _corrected)
_ANNULLED = {
    "intervention": LINES.say(
        "act_annulled_intervention",
        N_("{who} annulled the intervention of {was_day} ({was_kind}), recorded in error"),
        was_day=_DAY,
        was_kind=_KIND,
    ),
    "coordination_meeting": LINES.say(
        "act_annulled_meeting",
        N_("{who} annulled the coordination meeting of {was_day}, recorded in error"),
        was_day=_DAY,
    ),
    "information_share": LINES.say(
        "act_annulled_share",
        N_("{who} annulled the share of {was_day}, recorded in error: it counts nowhere"),
        was_day=_DAY,
    ),
}
LINES.choose(
    ev.ActAnnulled,
    lambda e: Summary(_ANNULLED.get(str(e.act_type), "act_annulled_intervention"), _as_it_stood(e)),
)
