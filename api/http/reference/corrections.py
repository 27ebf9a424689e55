"""The descriptions and request-body examples of the operations of
`api.http.routers.corrections`."""

from __future__ import annotations

from typing import Any

_WHO = """
        Who: the act's author (the same professional, acting for the same institution) within
        the correction window after the act was recorded (`MAILLAGE_CORRECTION_WINDOW_HOURS`,
        72 by default), or at any time a supervisor employed by the act's institution. The act is
        named by its id: the `entity_id` answered when it was recorded. The act stays in the log
        and in the audit trail, beside the correction and its reason (sealed with the person's
        other data); the as-of coherence view before the correction shows the act as first
        recorded. A closed case's acts may still be corrected; the correction is dated now.
"""
_REFUSALS = """
        - 403 `access-denied`: another professional's act (a case worker corrects only their
          own), a supervisor of another institution than the act's, or a case your institution
          was never involved in.
        - 403 `correction-window-passed`: you are the author but the window has closed (the
          problem says when); a supervisor of the act's institution may still.
        - 404 `not-found`: no such case.
        - 404 `act-not-found`: the case has no intervention, coordination meeting or share of
          that id.
        - 409 `act-annulled`: the act was annulled; it is neither corrected nor annulled again.
        - 409 `beneficiary-erased`: the beneficiary's personal data was erased.
        - 422 `invalid-value`: a blank reason.
        - 422 `not-employed`: your token's professional is not employed by its institution.
"""

DESCRIPTIONS: dict[str, str] = {
    "correct_act": f"""
        Correct an intervention recorded in error: its `kind`, the date it happened
        (`act_occurred_at`, within the backdating window) and/or its `summary` — at least one,
        differing from its current state (after any earlier correction: corrections chain).

        Records `ActCorrected`, naming the act and carrying only what changes. Every view then
        shows the corrected state: the coherence view and caseloads (the author's last action),
        and reports, where the intervention is counted once, under its corrected kind and in the
        month of its corrected date. The act keeps the basis it was recorded on. A coordination
        meeting or a share is not corrected: annul it and record it again. An act recorded on
        the wrong person's case is annulled there and recorded again on the right case.
{_WHO}
        Refusals:
{_REFUSALS}        - 422 `act-not-correctable`: the act is a coordination meeting or a share.
        - 422 `nothing-to-correct`: the kind and date given are the act's current ones, and no
          summary is given.
        - 422 `occurred-at-in-future`, `occurred-at-too-old`: `act_occurred_at` outside the
          backdating window.
    """,
    "annul_act": f"""
        Annul an intervention, a coordination meeting or a share of information recorded in
        error, saying why.

        Records `ActAnnulled`, naming the act. From then on the act counts nowhere: not in
        reports (interventions, actions, the first coordination meeting), not as its author's
        last action, and an annulled share — recorded in error, so never made — leaves the
        coherence view and no longer raises alerts (an exchange without a convention, a share
        beyond consent). Record the act again, rightly, if it did happen: on the right case for
        an act recorded on the wrong person's. A share is annulled by a supervisor of its
        institution only (403 `access-denied` for its author): information sent is not unsent,
        and its author may not take it, and its alerts, out of the views alone.
{_WHO}
        Refusals:
{_REFUSALS}""",
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "correct_act": {
        "kind_and_date": {
            "summary": "A consultation entered as a home visit, and on the wrong day",
            "value": {
                "reason": "Saisie erronée : il s'agissait d'une consultation au service, le 17.",
                "kind": "consultation",
                "act_occurred_at": "2026-11-17T10:00:00+01:00",
            },
        },
        "summary": {
            "summary": "The summary rewritten",
            "value": {
                "reason": "Compte rendu incomplet.",
                "summary": "Visite à domicile : échange avec la mère sur la scolarité et la santé.",
            },
        },
    },
    "annul_act": {
        "wrong_case": {
            "summary": "An intervention recorded on the wrong person's case",
            "value": {"reason": "Saisie sur le dossier d'un autre enfant ; ressaisie sur le bon."},
        },
    },
}
