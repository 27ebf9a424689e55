"""The descriptions and request-body examples of the operations of `api.http.routers.cases`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import CMP, DELEGATION, SOPHIE

DESCRIPTIONS: dict[str, str] = {
    "open_case": """
        Open a shared case for a beneficiary: you become its first participant (in `role`, by
        default `referent`) and your institution its holder (*détenteur du dossier*).

        Records `CaseOpened`, the beneficiary's identity sealed with a key of their own (erasable on
        a legal request). `id` and `Location` name the new case.

        Refusals:
        - 404 `not-found`: your token's institution or professional is not in the registry.
        - 422 `not-employed`: your token's professional is not employed by its institution on
          `occurred_at`.
        - 422 `invalid-value`: a blank name, or a birth date after the opening.
    """,
    "read_case_file": """
        The case's file: the beneficiary's identity, legal framework, holding institution,
        participants and the basis each acts on, coordinator, consents and referrals. `ETag` is the
        case's version, to send as `If-Match` with your next act.

        The reading is recorded before anything is shown (`CaseContentRead`: who, for which
        institution, which view, which `purpose`) and appears in the case's audit trail; a refused
        reading records nothing. A case worker reads the cases they take part in or hold a
        delegation in force for; a supervisor those their institution is or was involved in.

        Refusals:
        - 403 `access-denied`: the case is not yours to read (as above), or your token's
          professional is not employed by its institution.
        - 404 `not-found`: no such case.
    """,
    "close_case": """
        Close the case with a reason: no act is recorded on it any more, except a reopening,
        acknowledgements of alerts and concerning information to the CRIP (never refused).

        Records `CaseClosed`. You must take part in the case.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `case-closed`: it is closed already.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `not-employed`: your token's professional is not employed by its institution.
        - 422 `invalid-value`: a blank reason.
    """,
    "reopen_case": """
        Reopen a closed case, with a reason (a new order, the family asks again…).

        Records `CaseReopened`. You must have been taking part in it when it closed.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `case-not-closed`: it is open.
        - 409 `beneficiary-erased`: the beneficiary's personal data was erased: the case is closed
          for good.
        - 422 `not-a-case-participant`: you did not take part in it.
        - 422 `invalid-value`: a blank reason.
    """,
    "join_case": """
        Take part in the case for your institution, in `role`.

        You may join when your institution is already on the case or was referred to it, when a
        convention in force or a network links you to its actors, or when you hold a delegation in
        force naming the case (give it as `delegation_id`: it must cover `case_participation`).
        Records `ParticipantJoined` with the basis the service decides from the registry —
        delegation, case holder, convention, network or informal — never one the client sends.

        Refusals:
        - 403 `access-denied`: none of the above links you to the case.
        - 404 `not-found`: no such case, or no such delegation.
        - 409 `already-participating`: you already take part in it for your institution.
        - 409 `case-closed`: the case is closed.
        - 422 `delegation-out-of-scope`, `delegation-expired`, `delegation-revoked`,
          `delegation-not-yet-valid`: the delegation named does not cover joining this case now
          (`details` says why).
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "leave_case": """
        Stop taking part in the case for your institution.

        Records `ParticipantLeft`. If you were its coordinator, the case has none (an alert of its
        coherence view) until one is designated.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you do not take part in it.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "designate_coordinator": """
        Designate the case's *référent de parcours*: the participant who keeps the interventions
        coherent across institutions. `coordinator` names a professional and the institution they
        take part for. The référent is designated by the holding institution: you take part in the
        case for it (its supervisors use `POST /cases/{case_id}/referent`).

        Records `CoordinatorDesignated`, naming the coordinator replaced, if any.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `case-closed`: the case is closed.
        - 422 `not-the-holder`: you do not act for the institution holding the case.
        - 422 `not-a-case-participant`: you, or the coordinator named, do not take part in the case
          (for that institution).
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "erase_beneficiary": """
        Erase the beneficiary's personal data on a legal ground: the person's request (RGPD art.
        17), an expired retention period, or a court order. For a data-protection officer of an
        institution that holds the case or is or was involved in it; administrators no longer
        erase (retention erasure by `maillage retention` stays as it is).

        Records `BeneficiaryErased` with its ground and reference, closes the case for good, then
        destroys the beneficiary's key: every personal field of the case's events (identity, names,
        free texts) becomes unreadable, without rewriting the log. Acts, bases, institutions and
        counts stay. Asking again finishes an interrupted erasure.

        Refusals:
        - 403 `access-denied`: you are not a data-protection officer, or your institution never
          held nor was involved in the case.
        - 404 `not-found`: no such case.
        - 409 `beneficiary-erased`: the erasure is recorded and finished already.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "open_case": {
        "judicial": {
            "summary": "A child followed under a judge's AEMO order",
            "value": {
                "beneficiary": {
                    "first_name": "Léo",
                    "last_name": "Martin",
                    "birth_date": "2015-04-12",
                },
                "legal_framework": "judicial",
                "role": "éducatrice référente",
                "occurred_at": "2026-11-16T09:30:00+01:00",
            },
        },
        "voluntary": {
            "summary": "A family that asked for help (no date of birth known yet)",
            "value": {
                "beneficiary": {"first_name": "Inès", "last_name": "Benali"},
                "legal_framework": "voluntary",
            },
        },
    },
    "close_case": {
        "end_of_order": {
            "summary": "The judge ends the measure",
            "value": {
                "reason": "Mainlevée de la mesure d'AEMO par le juge des enfants.",
                "occurred_at": "2026-11-18T11:00:00+01:00",
            },
        }
    },
    "reopen_case": {
        "new_order": {
            "summary": "A new order after a closure",
            "value": {"reason": "Nouvelle ordonnance du juge des enfants du 17 novembre."},
        }
    },
    "join_case": {
        "convention": {
            "summary": "A psychologist of the CMP joins (a convention links the CMP to the case)",
            "value": {"role": "psychologue référente du suivi"},
        },
        "delegation": {
            "summary": "Joining under a delegation naming the case",
            "value": {
                "role": "éducateur délégué",
                "delegation_id": DELEGATION,
                "occurred_at": "2026-11-17T10:00:00+01:00",
            },
        },
    },
    "leave_case": {
        "now": {"summary": "Leave the case now", "value": {}},
        "backdated": {
            "summary": "Left at the end of last week",
            "value": {"occurred_at": "2026-11-13T17:00:00+01:00"},
        },
    },
    "designate_coordinator": {
        "cmp_psychologist": {
            "summary": "The CMP's psychologist becomes référente de parcours",
            "value": {
                "coordinator": {"professional_id": SOPHIE, "institution_id": CMP},
                "occurred_at": "2026-11-18T15:00:00+01:00",
            },
        }
    },
    "erase_beneficiary": {
        "request": {
            "summary": "The person asked for erasure (RGPD art. 17)",
            "value": {"ground": "erasure_request", "reference": "DPO-2026-114"},
        },
        "retention": {
            "summary": "The retention period after closing has run out",
            "value": {"ground": "retention_expired", "reference": "Purge annuelle 2026"},
        },
    },
}
