"""The descriptions and request-body examples of the operations of `api.http.routers.case_acts`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import AEMO, ASE, CMP, CRIP, DELEGATION, JEANNE, SCHOOL, SOPHIE

DESCRIPTIONS: dict[str, str] = {
    "give_consent": """
        Record what the beneficiary, or their legal representative (named), agreed may be shared:
        with which institutions (`recipients`), which information `categories`, until `valid_until`
        or until withdrawn.

        Records `ConsentGiven`; `entity_id` is the consent's id. A share covered by a consent in
        force needs no legal ground.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case, or a recipient institution is not in the registry.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `invalid-value`: a legal representative's consent that does not name them, or one
          ending before it is given.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "withdraw_consent": """
        Record that a consent was withdrawn: from `occurred_at` on, it covers no share.

        Records `ConsentWithdrawn`.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 404 `consent-not-found`: the case has no such consent.
        - 409 `consent-already-withdrawn`: it was withdrawn already.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "record_intervention": """
        Record something you did for the beneficiary: a home visit, an assessment, a consultation…
        (`kind`: the action kinds of `GET /vocabulary`).

        Records `InterventionRecorded` with the basis the service decides from the registry: the
        delegation you name (in force, covering the kind and the case), your institution's own
        mandate as the case's holder, a convention in force, a network — or `informal`: informal
        work is recorded and shown in the coherence view, never refused. `entity_id` is the
        intervention's id.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case, or no such delegation.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `delegation-out-of-scope`, `delegation-expired`, `delegation-revoked`,
          `delegation-not-yet-valid`: the delegation named does not cover this act now (`details`
          says why).
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "share_information": """
        Share information about the beneficiary with another institution (and, if named, one of its
        professionals).

        Lawful only on a consent in force covering the recipient and every category shared, or on a
        legal ground whose conditions are met: `legal_ground` gives its code, the conditions you
        attest (`attested`) and the texts you state (`statements`); `GET /vocabulary` lists the
        grounds, their conditions and how alternatives are written. A ground claimed that fails is
        refused as such, never replaced by a consent. Records `InformationShared` with the consents
        or the ground relied on, and the convention covering the exchange if one is in force (an
        exchange without one is lawful, and shows in the coherence view).

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case, recipient institution or delegation.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `same-institution`: the recipient is your own institution.
        - 422 `no-legal-basis-for-sharing`: no consent in force covers the recipient and these
          categories, and no ground was given (`details.uncovered` lists the categories).
        - 422 `legal-ground-conditions-not-met`: the ground's conditions are not all met; `details`
          lists those missing, an alternative as `{"any_of": [codes]}` (meet any one of them).
        - 422 `unknown-legal-ground`: no ground has this code.
        - 422 `delegation-out-of-scope`, `delegation-expired`, `delegation-revoked`,
          `delegation-not-yet-valid`: the delegation named does not cover this act now (`details`
          says why).
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "transmit_concerning_information": """
        Transmit an *information préoccupante* (CASF art. L.226-3) to the département's unit for
        concerning information (CRIP): what makes you fear that a child is in danger.

        Always allowed to whoever reaches the case, even closed, and always traced: records
        `ConcerningInformationTransmitted` with its legal reference. `entity_id` is the
        transmission's id.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case, or no such institution.
        - 422 `recipient-not-a-crip`: the institution named is not a CRIP (its kind is not `crip`).
        - 422 `invalid-value`: a blank summary.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "refer": """
        Ask another institution to take part in the case (*orientation*), with the reason: it finds
        the referral in its inbox (`GET /referrals`) and accepts or declines it, or it expires
        unanswered after `MAILLAGE_REFERRAL_EXPIRY_DAYS`. A referral shares information about the
        person (`categories`, `["identity"]` if omitted): like a share, it needs a consent in force
        covering the referred institution for each category, or a `legal_ground` whose conditions
        are met. Until it accepts, the referred institution reads only what the referral shares
        (`GET /cases/{case_id}/referrals/{referral_id}`), not the case's file.

        Records `ReferralMade`, with the categories shared and the consents or ground they are
        shared on; `entity_id` is the referral's id, to answer it.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case, or no such institution.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `same-institution`: the referral is to your own institution.
        - 422 `no-legal-basis-for-sharing`: no consent in force covers the referred institution for
          the categories shared, and no legal ground was given.
        - 422 `legal-ground-conditions-not-met`: the legal ground given does not hold.
        - 422 `invalid-value`: a blank reason.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "accept_referral": """
        Accept a pending referral made to your institution: its professionals may then join the case
        (`join_case`), and its supervisors read it.

        Records `ReferralAccepted`.

        Refusals:
        - 403 `access-denied`: no referral of this case was made to your institution, and you do
          not take part in it.
        - 404 `not-found`: no such case.
        - 404 `referral-not-found`: the case has no such referral.
        - 409 `referral-not-pending`: it was answered, revoked or expired already
          (`details.status`).
        - 409 `case-closed`: the case is closed.
        - 422 `wrong-institution`: the referral is addressed to another institution.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "decline_referral": """
        Decline a pending referral made to your institution, with the reason (the referring side
        reads it).

        Records `ReferralDeclined`.

        Refusals:
        - 403 `access-denied`: no referral of this case was made to your institution, and you do
          not take part in it.
        - 404 `not-found`: no such case.
        - 404 `referral-not-found`: the case has no such referral.
        - 409 `referral-not-pending`: it was answered, revoked or expired already
          (`details.status`).
        - 409 `case-closed`: the case is closed.
        - 422 `wrong-institution`: the referral is addressed to another institution.
        - 422 `invalid-value`: a blank reason.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "hold_coordination_meeting": """
        Record a coordination meeting on the case: who attended (participants, each for their
        institution; you are added if you are not listed) and the decisions taken.

        Records `CoordinationMeetingHeld`; `entity_id` is the meeting's id.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you, or an attendee, do not take part in the case for that
          institution.
        - 422 `invalid-value`: a blank decision.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "acknowledge_alert": """
        Acknowledge an alert about past acts (`action_without_valid_basis`,
        `exchange_without_convention`, `shared_beyond_consent`) for the case events it named
        (`versions`), with a note saying what was done about it.

        Records `AlertAcknowledged`, shown in the audit trail. Only the institution holding the case
        acknowledges its alerts; a closed case may still be. Alerts about the present
        (`no_coordinator`, `idle_actor`, a lapsed delegation in use) are cleared only by fixing
        their cause.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 409 `beneficiary-erased`: the beneficiary's personal data was erased.
        - 422 `not-a-case-participant`: you do not take part in the case.
        - 422 `wrong-institution`: your institution does not hold the case.
        - 422 `invalid-value`: an alert that cannot be acknowledged, or versions the case does not
          have.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "give_consent": {
        "parents": {
            "summary": "The parents agree that the CMP and the school receive health and "
            "schooling information",
            "value": {
                "giver": "legal_representative",
                "representative_name": "Nadia Martin (mère)",
                "recipients": [CMP, SCHOOL],
                "categories": ["health", "education"],
                "valid_until": "2027-06-30",
                "occurred_at": "2026-11-16T10:15:00+01:00",
            },
        },
        "adult": {
            "summary": "An adult beneficiary consents for themself",
            "value": {
                "giver": "beneficiary",
                "recipients": [ASE],
                "categories": ["family_situation", "social"],
            },
        },
    },
    "withdraw_consent": {
        "now": {"summary": "Withdrawn today", "value": {}},
        "backdated": {
            "summary": "Withdrawn by letter received yesterday",
            "value": {"occurred_at": "2026-11-19T09:00:00+01:00"},
        },
    },
    "record_intervention": {
        "home_visit": {
            "summary": "A home visit",
            "value": {
                "kind": "home_visit",
                "summary": "Visite à domicile : échange avec la mère sur la scolarité de Léo.",
                "occurred_at": "2026-11-18T14:30:00+01:00",
            },
        },
        "under_delegation": {
            "summary": "An assessment under a delegation naming the case",
            "value": {
                "kind": "assessment",
                "summary": "Évaluation de la situation familiale à la demande de l'ASE.",
                "delegation_id": DELEGATION,
            },
        },
    },
    "share_information": {
        "consent": {
            "summary": "Share with the CMP under the parents' consent",
            "value": {
                "recipient_institution_id": CMP,
                "recipient_professional_id": SOPHIE,
                "categories": ["health"],
                "summary": "Compte rendu de la consultation pédiatrique du 12 novembre.",
            },
        },
        "shared_secrecy": {
            "summary": "Share with child welfare under shared secrecy (CASF art. L.226-2-2)",
            "description": "Conditions of kind `attested` are listed in `attested`; those of "
            "kind `stated` are given as texts in `statements`; `fact` conditions are the "
            "service's to check (see `GET /vocabulary`). Of the alternatives "
            "`parental_authority_informed` / `not_informed_reason`, one is enough.",
            "value": {
                "recipient_institution_id": ASE,
                "categories": ["child_protection", "family_situation"],
                "legal_ground": {
                    "code": "shared_secrecy_child_protection",
                    "attested": [
                        "recipient_bound_by_secrecy",
                        "contributes_to_child_protection",
                        "strictly_necessary",
                    ],
                    "statements": {
                        "not_informed_reason": "Informer le père exposerait l'enfant à des "
                        "représailles (violences signalées le 10 novembre)."
                    },
                },
                "summary": "Éléments d'évaluation nécessaires à la décision de protection.",
            },
        },
    },
    "transmit_concerning_information": {
        "concern": {
            "summary": "An information préoccupante to the département's CRIP",
            "value": {
                "crip_institution_id": CRIP,
                "summary": "Léo est arrivé à l'école avec des ecchymoses au visage et dit "
                "avoir peur de rentrer chez lui.",
                "occurred_at": "2026-11-19T16:45:00+01:00",
            },
        }
    },
    "refer": {
        "to_cmp": {
            "summary": "Refer to the child-psychiatry centre, on the family's consent",
            "value": {
                "to_institution_id": CMP,
                "reason": "Troubles du sommeil et anxiété importante : demande de bilan "
                "pédopsychiatrique.",
                "categories": ["identity", "health"],
            },
        },
        "to_ase": {
            "summary": "Refer to child welfare under shared secrecy in child protection",
            "value": {
                "to_institution_id": ASE,
                "reason": "Mise en danger suspectée : évaluation par l'ASE demandée.",
                "categories": ["identity", "child_protection"],
                "legal_ground": {
                    "code": "shared_secrecy_child_protection",
                    "attested": [
                        "recipient_bound_by_secrecy",
                        "contributes_to_child_protection",
                        "strictly_necessary",
                        "parental_authority_informed",
                    ],
                },
            },
        },
    },
    "accept_referral": {
        "now": {"summary": "Accepted now", "value": {}},
        "backdated": {
            "summary": "Accepted at this morning's admission meeting",
            "value": {"occurred_at": "2026-11-20T09:30:00+01:00"},
        },
    },
    "decline_referral": {
        "no_place": {
            "summary": "Declined for lack of a place",
            "value": {
                "reason": "Pas de place disponible avant mars ; orientation vers le CMP "
                "de Guebwiller conseillée."
            },
        }
    },
    "hold_coordination_meeting": {
        "synthesis": {
            "summary": "A synthesis meeting of the AEMO and the CMP",
            "value": {
                "attendees": [
                    {"professional_id": JEANNE, "institution_id": AEMO},
                    {"professional_id": SOPHIE, "institution_id": CMP},
                ],
                "decisions": [
                    "Bilan psychologique à programmer avant les vacances de Noël.",
                    "Point avec l'école le 3 décembre.",
                ],
                "occurred_at": "2026-11-18T10:00:00+01:00",
            },
        }
    },
    "acknowledge_alert": {
        "exchange": {
            "summary": "The holder acknowledges an exchange made without a convention",
            "value": {
                "alert_kind": "exchange_without_convention",
                "versions": [7],
                "note": "Échange ponctuel avec l'école validé par la cheffe de service ; "
                "convention en cours de signature.",
            },
        }
    },
}
