"""The descriptions and request-body examples of the client applications' routes
(`api.http.routers.clients`) and of the token endpoint (`api.http.routers.oauth`)."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import AEMO, ASE

DESCRIPTIONS: dict[str, str] = {
    "register_client": """
        Register a client application of an institution — the département's child welfare
        information system, a DAC's e-parcours tool, a hospital's — with its scope: the `kinds` of
        events it follows (event types such as `Case.CaseOpened`), whether it requests to open
        their personal fields (`personal_data`, each opening recorded as a reading for
        `purpose`). Personal data takes two people: the request is in force only once a
        data-protection officer of the client's institution approves it
        (`POST /integration/clients/{client_id}/personal-data-approval`).

        Answers its `client_id` and its `client_secret`, **shown this once**: only a hash is kept,
        and no answer shows it again (rotate it if lost). `Location` names the client. The client
        exchanges them for a token at `POST /oauth/token`. Logged for operators (who, what).

        Refusals:
        - 404 `not-found`: `institution_id` is no institution of the registry.
        - 422 `invalid-value`: an unknown kind of event (the refusal lists the log's kinds), a
          blank name.
    """,
    "list_clients": """
        The client applications, by id, filtered by `institution_id` and by `revoked` (true: the
        revoked ones only; false: the active ones), paged by `cursor`. Each shows its scope and
        history — who registered, changed or revoked it, when — never its secret nor its hash.

        Refusals:
        - 422 `invalid-request`: a `limit` out of 1–500, an `institution_id` that is not an id.
    """,
    "read_client": """
        A client application: its institution, the kinds of events it follows, whether personal
        fields are requested (`personal_data`), approved (`personal_data_approved_by`, `_at`: a
        data-protection officer of its institution) and so opened (`personal_data_in_force`), for
        what purpose, until when its previous secret is still accepted after a rotation, the
        instant before which its tokens are refused (`tokens_not_before`), and whether it is
        revoked. Never its secret nor its hash.

        Refusals:
        - 404 `not-found`: no such client application.
    """,
    "update_client": """
        Change a client application's name or scope (`kinds`, `personal_data`, `purpose`); what
        the body leaves out stays. The feed reads the scope at each request: the change holds at
        the client's next one, its tokens unchanged. A change that widens what would be opened —
        a kind more, another purpose, personal data turned off (turning it on again asks anew) —
        lapses the data-protection officer's approval: personal fields stay closed until they
        approve again. Logged for operators (who, what).

        Refusals:
        - 404 `not-found`: no such client application.
        - 409 `client-revoked`: it is revoked (register a new one).
        - 422 `invalid-value`: an unknown kind of event, a blank name.
    """,
    "rotate_client_secret": """
        Give a client application a new secret, **shown this once**. The previous one is still
        accepted until `previous_secret_valid_until` — `grace_minutes` after now, by default and
        at most `MAILLAGE_INTEGRATION_SECRET_GRACE_MINUTES` — so that the client's operators can
        deploy the new one; then refused, the tokens already issued living on until they expire.
        With `grace_minutes=0` (a leaked secret) the previous secret is refused at once, and so
        are the tokens issued with it: `tokens_not_before` is set to the next whole second, and
        the feed refuses a token issued (`iat`) before it. Logged for operators, never the secret.

        Refusals:
        - 404 `not-found`: no such client application.
        - 409 `client-revoked`: it is revoked (register a new one).
        - 422 `invalid-value`: `grace_minutes` out of 0 to the setting's maximum.
    """,
    "revoke_client": """
        Revoke a client application, at once: it gets no more tokens, and the feed refuses the
        tokens it already holds (the scope is read at each request; `tokens_not_before` is set
        too). Its record stays (who revoked it, when); revoking it again changes nothing. Logged
        for operators.

        Refusals:
        - 404 `not-found`: no such client application.
    """,
    "read_personal_data_request": """
        For a data-protection officer of the client's institution: what an administrator set for
        the client application — its name, the kinds of events it follows, its purpose, whether
        personal data is requested, approved (by whom, when) and in force — before they approve
        it. Never its secret nor its hash. Its `ETag` tags that request (institution, kinds,
        purpose, requested flag, last change): send it back as `If-Match` to approve it.

        Refusals:
        - 403 `access-denied`: not a data-protection officer, or one of another institution.
        - 404 `not-found`: no such client application.
    """,
    "approve_client_personal_data": """
        A data-protection officer of the client's institution approves the personal data an
        administrator requested for it: from the client's next request, the feed opens the
        personal fields of the kinds it follows, each opening recorded as a reading for its
        purpose. Recorded on the client (`personal_data_approved_by`, `_at`) and logged for
        operators. Approving it again keeps the first approval. An administrator's change that
        widens the request lapses the approval. Answers the client, never a secret.

        The approval names the request the officer read: `If-Match` carries the `ETag` of
        `GET …/personal-data-approval` (or of the client's read). If an administrator changed
        the request since — a kind more, another purpose, even its name — nothing is approved:
        read it again and approve what it shows now.

        Refusals:
        - 403 `access-denied`: not a data-protection officer (an administrator only requests),
          or one of another institution.
        - 404 `not-found`: no such client application.
        - 409 `personal-data-not-requested`: no administrator requested personal data for it.
        - 409 `client-revoked`: it is revoked.
        - 412 `personal-data-request-changed`: the request changed since the ETag was read.
        - 422 `invalid-if-match`: `If-Match` is not an ETag this route answered.
        - 428 `if-match-required`: no `If-Match` (or `*`).
    """,
    "withdraw_client_personal_data": """
        A data-protection officer of the client's institution withdraws their approval: from the
        client's next request, the feed opens no personal field to it (the request stays, for
        another approval). Logged for operators; withdrawing no approval changes nothing.

        Refusals:
        - 403 `access-denied`: not a data-protection officer, or one of another institution.
        - 404 `not-found`: no such client application.
        - 409 `client-revoked`: it is revoked.
    """,
    "issue_token": """
        A client application's bearer token, OAuth 2.0's client credentials grant (RFC 6749
        §4.4): a form (`application/x-www-form-urlencoded`) with `grant_type=client_credentials`,
        the client authenticated by HTTP Basic (`client_secret_basic`) or by `client_id` and
        `client_secret` in the form (`client_secret_post`). Answers `access_token`, `token_type`
        (`Bearer`), `expires_in` (seconds) and `scope` (`feed`, and `personal_data` once requested
        and approved), with `Cache-Control: no-store`. The token (role `integration`, `sub` the
        client id, `inst` its institution) reads the catch-up feed and nothing else. Public: the
        credentials are the authentication. The client id is read in its canonical spelling only
        (36 characters, dashed, either case).

        Errors are problems that also carry RFC 6749's `error` and `error_description`:
        - 400 `invalid-token-request`: not a form, no `grant_type`, a parameter repeated, or
          both ways of authenticating (`error`: `invalid_request`).
        - 400 `unsupported-grant-type`: another grant than `client_credentials`.
        - 401 `invalid-client`: unknown client, a client id not in its canonical spelling
          (`{…}`, `urn:uuid:…`, undashed), wrong secret (or a previous one past its grace), or a
          revoked client — never saying which; `WWW-Authenticate: Basic`.
        - 503 `client-tokens-from-identity-provider`: the service trusts an identity provider's
          keys and mints no token; ask that provider (role `integration`, `sub` the client id,
          `inst` its institution).
    """,
}

_KINDS = ["Case.CaseOpened", "Case.ReferralMade", "Case.ReferralAccepted"]

EXAMPLES: dict[str, dict[str, dict[str, Any]]] = {
    "register_client": {
        "without_personal_data": {
            "summary": "The ASE's information system follows openings and referrals",
            "value": {
                "name": "SI de l'ASE du Haut-Rhin",
                "institution_id": ASE,
                "kinds": _KINDS,
                "personal_data": False,
                "purpose": "coordination",
            },
        },
        "with_personal_data": {
            "summary": "An AEMO's case tool opens personal fields for its follow-up",
            "value": {
                "name": "Logiciel de suivi AEMO",
                "institution_id": AEMO,
                "kinds": ["Case.InterventionRecorded"],
                "personal_data": True,
                "purpose": "follow_up",
            },
        },
    },
    "update_client": {
        "kinds": {
            "summary": "Follow interventions too",
            "value": {"kinds": [*_KINDS, "Case.InterventionRecorded"]},
        },
        "no_personal_data": {
            "summary": "Stop opening personal fields",
            "value": {"personal_data": False},
        },
    },
}
