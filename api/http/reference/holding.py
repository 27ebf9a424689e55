"""The descriptions and request-body examples of the operations of `api.http.routers.holding`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import ASE, CMP, KARIM, SOPHIE

DESCRIPTIONS: dict[str, str] = {
    "request_transfer": """
        Ask that another institution hold the case (*détenteur du dossier*). Either the holder
        offers the case to another institution on it (`to_institution_id`: that institution, which
        answers), or an institution on the case asks to hold it (`to_institution_id`: your own; the
        holder answers). A case has one pending transfer at a time; the side that asked may
        withdraw it before an answer.
        For a case worker taking part in the case for the institution concerned, or a supervisor
        of that institution.

        Records `TransferRequested` (the reason sealed with the person's data); `entity_id` is the
        transfer's id, to answer it. The other side finds it in `GET /transfers?box=to_answer`.

        Refusals:
        - 403 `access-denied`: a case worker not taking part in the case, or a supervisor whose
          institution is not on it.
        - 404 `not-found`: no such case, or no such institution.
        - 409 `case-closed`: the case is closed.
        - 409 `transfer-already-pending`: another transfer of the case awaits its answer.
        - 422 `transfer-to-holder`: `to_institution_id` already holds the case.
        - 422 `institution-not-on-case`: `to_institution_id` (or yours) neither holds the case nor
          has a participant on it.
        - 422 `not-the-holder`: your institution does not hold the case and asks for a third one
          (ask for your own).
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "accept_transfer": """
        Accept a pending transfer your institution answers: from `occurred_at` on, the case is held
        by the transfer's receiving institution (its supervisors audit it as holder; the former
        holder stays involved). The history of holders keeps both, with their dates; the référent
        de parcours stays until the new holder replaces it.
        For a case worker taking part in the case for the institution concerned, or a supervisor
        of that institution.

        Records `TransferAccepted`.

        Refusals:
        - 403 `access-denied`: a case worker not taking part in the case, or a supervisor whose
          institution is not on it.
        - 404 `not-found`: no such case.
        - 404 `transfer-not-found`: the case has no such transfer.
        - 409 `transfer-not-pending`: it was accepted, declined or withdrawn already.
        - 409 `case-closed`: the case is closed.
        - 422 `wrong-transfer-side`: your institution asked for it, or is not part of it.
        - 422 `invalid-value`: an answer dated before the request.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "decline_transfer": """
        Decline a pending transfer your institution answers, with the reason (the other side reads
        it): the holder stays.
        For a case worker taking part in the case for the institution concerned, or a supervisor
        of that institution.

        Records `TransferDeclined`.

        Refusals:
        - 403 `access-denied`: a case worker not taking part in the case, or a supervisor whose
          institution is not on it.
        - 404 `not-found`: no such case.
        - 404 `transfer-not-found`: the case has no such transfer.
        - 409 `transfer-not-pending`: it was accepted, declined or withdrawn already.
        - 409 `case-closed`: the case is closed.
        - 422 `wrong-transfer-side`: your institution asked for it, or is not part of it.
        - 422 `invalid-value`: a blank reason, or an answer dated before the request.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "withdraw_transfer": """
        Withdraw a transfer your institution asked for, before it is answered.
        For a case worker taking part in the case for the institution concerned, or a supervisor
        of that institution.

        Records `TransferWithdrawn`.

        Refusals:
        - 403 `access-denied`: a case worker not taking part in the case, or a supervisor whose
          institution is not on it.
        - 404 `not-found`: no such case.
        - 404 `transfer-not-found`: the case has no such transfer.
        - 409 `transfer-not-pending`: it was answered already.
        - 409 `case-closed`: the case is closed.
        - 422 `wrong-transfer-side`: your institution did not ask for it.
        - 422 `invalid-value`: a withdrawal dated before the request.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "assign_referent": """
        Designate, or replace, the case's *référent de parcours*: the professional responsible for
        the coherence of the person's path across institutions (DOMAIN.md's coordinator; distinct
        from chairing a meeting). `referent` names a professional taking part in the case and the
        institution they take part for (any institution on the case).

        For supervisors of the institution holding the case. Records `ReferentAssigned`, naming the
        référent replaced, if any; the coherence view and the case's file show it as `referent`
        (and `coordinator`), and the `no_coordinator` alert (*pas de référent de parcours*) ends.

        Refusals:
        - 403 `access-denied`: a case worker, or a supervisor of another institution than the
          holder.
        - 404 `not-found`: no such case.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: the référent named does not take part in the case for that
          institution.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "list_transfers": """
        The transfer requests of your token's institution: those it answers (`box=to_answer`:
        offered to it, or asked of it as holder) or those it asked for (`box=sent`), oldest request
        first, each with its institutions and people named. Filtered by `status` and `case_id`;
        paged (`limit`, `cursor`). Served from the read side: a request just recorded shows once
        the projection has read it.

        Refusals:
        - 403 `access-denied`: for case workers and supervisors (of the token's institution).
        - 422 `invalid-value`: a `cursor` this list did not return.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "request_transfer": {
        "offer": {
            "summary": "The AEMO service, holder, offers Léo's case to child welfare",
            "value": {
                "to_institution_id": ASE,
                "reason": "Placement décidé par le juge des enfants : l'ASE reprend le suivi.",
                "occurred_at": "2026-11-18T16:00:00+01:00",
            },
        },
        "ask": {
            "summary": "Child welfare asks to hold the case itself",
            "value": {"to_institution_id": ASE, "reason": "Mesure administrative en cours."},
        },
    },
    "accept_transfer": {"now": {"summary": "Accepted today", "value": {}}},
    "decline_transfer": {
        "reason": {
            "summary": "Declined, with the reason",
            "value": {"reason": "La mesure judiciaire reste confiée au service AEMO."},
        }
    },
    "withdraw_transfer": {"now": {"summary": "Withdrawn before an answer", "value": {}}},
    "assign_referent": {
        "cmp": {
            "summary": "The holder's head of service names the CMP's psychologist référente",
            "value": {
                "referent": {"professional_id": SOPHIE, "institution_id": CMP},
                "occurred_at": "2026-11-18T15:00:00+01:00",
            },
        },
        "ase": {
            "summary": "After the transfer, child welfare's social worker becomes référent",
            "value": {"referent": {"professional_id": KARIM, "institution_id": ASE}},
        },
    },
}
