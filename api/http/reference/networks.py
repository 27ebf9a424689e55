"""The descriptions and request-body examples of the operations of `api.http.routers.networks`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import AEMO, CMP, DELEGATION, JEANNE, KARIM, SOPHIE

DESCRIPTIONS: dict[str, str] = {
    "found_informal_network": """
        Found an informal network (*réseau spontané*) on shared values, with yourself as its first
        member (an administrator may name another founder). Others join by invitation and
        acceptance: membership is reciprocal.

        Records `NetworkFounded`, and `NetworkJoined` on the founder.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such professional.
        - 422 `invalid-value`: a blank name or values statement.
    """,
    "found_formal_network": """
        Found a formal network (*réseau professionnel formel*): set up by institutions around a
        common project (`objectives`); its members enter under a delegation of their institution,
        and it keeps traces of its meetings and decisions.

        Records `NetworkFounded`.

        Refusals:
        - 404 `not-found`: a founding institution is not in the registry.
        - 422 `invalid-value`: a blank name, no founding institution, no objective.
    """,
    "read_network": """
        A network: kind, name, values, institutions and project (formal), members (with the
        delegation each formal member acts under), pending invitations, coordinator, whether
        dissolved. `ETag` is its version.

        Refusals:
        - 404 `not-found`: no such network.
    """,
    "invite_to_network": """
        Invite a professional to an informal network, as one of its members (yourself; an
        administrator may name the inviter).

        Records `MemberInvited`; the invitee accepts or declines.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such network, or no such professional.
        - 409 `already-a-member`: the invitee is a member or invited already.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is formal (this is for informal ones).
        - 422 `not-a-network-member`: the inviter is not a member.
    """,
    "accept_network_invitation": """
        Accept your invitation to an informal network: you become a member.

        Records `InvitationAccepted`, and `NetworkJoined` on you.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such network, or no such professional.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is formal (this is for informal ones).
        - 422 `no-invitation`: no invitation of yours is pending (joining an informal network needs
          a member's invitation).
    """,
    "decline_network_invitation": """
        Decline your invitation to an informal network.

        Records `InvitationDeclined`.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such network.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is formal (this is for informal ones).
        - 422 `no-invitation`: no invitation of yours is pending.
    """,
    "add_institution_to_network": """
        Add an institution to a formal network: its professionals may then be admitted under its
        delegations.

        Records `InstitutionJoinedNetwork`.

        Refusals:
        - 404 `not-found`: no such network, or no such institution.
        - 409 `already-a-member`: the institution takes part already.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is informal (this is for formal networks).
    """,
    "admit_to_network": """
        Admit a professional to a formal network under their institution's delegation
        (`delegation_id`: it names the network and covers `coordination`).

        Records `MemberAdmitted`, and `NetworkJoined` on the professional.

        Refusals:
        - 404 `not-found`: no such network, or no such delegation.
        - 409 `already-a-member`: the delegate is a member already.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is informal (this is for formal networks).
        - 422 `not-a-founding-institution`: the delegating institution takes no part in the network.
        - 422 `delegation-out-of-scope`, `delegation-expired`, `delegation-revoked`,
          `delegation-not-yet-valid`: the delegation does not cover this network now.
        - 422 `not-employed`: the delegate is no longer employed by the delegating institution.
    """,
    "appoint_network_coordinator": """
        Appoint a member as the formal network's coordinator.

        Records `NetworkCoordinatorAppointed`.

        Refusals:
        - 404 `not-found`: no such network.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is informal (this is for formal networks).
        - 422 `not-a-network-member`: the professional is not a member.
    """,
    "update_network_project": """
        Replace a formal network's common project (its objectives).

        Records `NetworkProjectUpdated`.

        Refusals:
        - 404 `not-found`: no such network.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is informal (this is for formal networks).
        - 422 `invalid-value`: no objective, or a blank one.
    """,
    "record_network_meeting": """
        Record a meeting of a formal network: who attended (members) and the decisions taken, as one
        of its members (yourself; an administrator may name the recorder).

        Records `NetworkMeetingRecorded`; `entity_id` is the meeting's id.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such network.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `network-kind`: the network is informal (this is for formal networks).
        - 422 `not-a-network-member`: the recorder or an attendee is not a member.
        - 422 `invalid-value`: a blank decision.
    """,
    "leave_network": """
        Leave a network (yourself; an administrator may take any member out). A coordinator who
        leaves leaves the network without one.

        Records `MemberLeft`, and `NetworkLeft` on the professional.

        Refusals:
        - 403 `access-denied`: acting for another professional than yourself is for administrators.
        - 404 `not-found`: no such network, or no such professional.
        - 409 `network-dissolved`: the network is dissolved.
        - 422 `not-a-network-member`: the professional is not a member.
    """,
    "dissolve_network": """
        Dissolve a network, with the reason: it takes no further change; its history stays.

        Records `NetworkDissolved`.

        Refusals:
        - 404 `not-found`: no such network.
        - 409 `network-dissolved`: it is dissolved already.
        - 422 `invalid-value`: a blank reason.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "found_informal_network": {
        "educators": {
            "summary": "Educators who meet about the same children",
            "value": {
                "name": "Réseau des éducateurs du secteur Colmar-Nord",
                "values_statement": "Confiance, réciprocité, et toujours l'accord des familles.",
            },
        }
    },
    "found_formal_network": {
        "mental_health": {
            "summary": "A formal child-mental-health network",
            "value": {
                "name": "Réseau santé mentale enfance Haut-Rhin",
                "founding_institutions": [AEMO, CMP],
                "objectives": [
                    "Réduire les délais d'accès au premier rendez-vous en CMP.",
                    "Tenir une réunion de concertation mensuelle.",
                ],
                "occurred_at": "2026-09-01T09:00:00+02:00",
            },
        }
    },
    "invite_to_network": {
        "colleague": {"summary": "Invite a colleague of the ASE", "value": {"invitee_id": KARIM}}
    },
    "add_institution_to_network": {
        "aemo": {"summary": "The AEMO joins the formal network", "value": {"institution_id": AEMO}}
    },
    "admit_to_network": {
        "delegate": {
            "summary": "Admit the AEMO's delegate",
            "value": {"delegation_id": DELEGATION, "occurred_at": "2026-11-03T14:00:00+01:00"},
        }
    },
    "appoint_network_coordinator": {
        "psychologist": {"summary": "The CMP's psychologist", "value": {"professional_id": SOPHIE}}
    },
    "update_network_project": {
        "objectives": {
            "summary": "The project for 2027",
            "value": {
                "objectives": [
                    "Un référent de parcours désigné pour chaque enfant suivi à plusieurs.",
                    "Une fiche de liaison commune AEMO-CMP.",
                ]
            },
        }
    },
    "record_network_meeting": {
        "monthly": {
            "summary": "The monthly concertation meeting",
            "value": {
                "attendees": [JEANNE, SOPHIE],
                "decisions": ["Fiche de liaison adoptée, diffusion au 1er décembre."],
                "occurred_at": "2026-11-17T14:00:00+01:00",
            },
        }
    },
    "leave_network": {
        "yourself": {"summary": "Leave the network yourself", "value": {}},
        "someone": {
            "summary": "An administrator takes a professional out",
            "value": {"professional_id": KARIM},
        },
    },
    "dissolve_network": {
        "project_done": {
            "summary": "Its project is done",
            "value": {
                "reason": "Objectifs atteints ; relais pris par le dispositif départemental."
            },
        }
    },
}
