"""The title of every problem, by rule: a short sentence for people, French first.

A problem's `type` and `rule` are stable codes; its `title` says the same in words, in the
reader's language (`api.i18n`). Every rule the domain (`domain.errors`) or the API answers
with has a title here: `tests/unit/test_problem_titles.py` walks the domain's errors and the
API's refusals and fails on a rule without one. The French is in
`api/i18n/locales/fr/errors.po`.
"""

from __future__ import annotations

from domain.wording import N_

DOMAIN_TITLES: dict[str, str] = {
    "maillage-error": N_("Refused by a rule"),
    "invalid-value": N_("Invalid value"),
    "occurred-at-in-future": N_("Date in the future"),
    "occurred-at-too-old": N_("Date too far in the past"),
    "not-found": N_("Not found"),
    "already-exists": N_("Already exists"),
    "identifier-taken": N_("Identifier held by another record"),
    "client-not-found": N_("No such client application"),
    "client-revoked": N_("Client application revoked"),
    "client-token-refused": N_("Token no longer good for its client application"),
    "client-token-unknown-client": N_("Token for no registered client application"),
    "client-token-revoked": N_("Token of a revoked client application"),
    "client-token-cut-by-rotation": N_("Token cut by a rotation of the client's secret"),
    "personal-data-not-requested": N_("Personal data not requested"),
    "personal-data-request-changed": N_("Request for personal data changed since read"),
    "concurrent-update": N_("Changed concurrently"),
    "stale-version": N_("Stale version"),
    "not-employed": N_("Not employed by this institution"),
    "employment-overlap": N_("Overlapping employment"),
    "delegation-expired": N_("Delegation expired"),
    "delegation-not-yet-valid": N_("Delegation not yet valid"),
    "delegation-revoked": N_("Delegation revoked"),
    "delegation-out-of-scope": N_("Outside the delegation's scope"),
    "not-a-party": N_("Not a party to the partnership"),
    "already-signed": N_("Already signed"),
    "partnership-terminated": N_("Partnership terminated"),
    "partnership-state": N_("Not possible in the partnership's current state"),
    "charter-has-no-scope": N_("A charter has no operational scope"),
    "mandate-reference-required": N_("Mandate reference required"),
    "network-kind": N_("Wrong kind of network"),
    "not-a-network-member": N_("Not a member of the network"),
    "already-a-member": N_("Already a member"),
    "no-invitation": N_("No invitation"),
    "network-dissolved": N_("Network dissolved"),
    "not-a-founding-institution": N_("Institution not part of the network"),
    "case-closed": N_("Case closed"),
    "beneficiary-erased": N_("Beneficiary's data erased"),
    "retention-not-due": N_("Retention period not over"),
    "case-not-closed": N_("Case not closed"),
    "identity-unchanged": N_("Identity unchanged"),
    "not-a-case-participant": N_("Not taking part in the case"),
    "already-participating": N_("Already taking part in the case"),
    "consent-not-found": N_("Consent not found"),
    "consent-already-withdrawn": N_("Consent already withdrawn"),
    "no-legal-basis-for-sharing": N_("No legal basis for sharing"),
    "legal-ground-conditions-not-met": N_("Conditions of the legal ground not met"),
    "unknown-legal-ground": N_("Unknown legal ground"),
    "same-institution": N_("Same institution"),
    "recipient-not-a-crip": N_("Recipient is not a CRIP"),
    "referral-not-pending": N_("Referral no longer pending"),
    "referral-not-found": N_("Referral not found"),
    "wrong-institution": N_("Wrong institution"),
    "transfer-not-found": N_("Transfer not found"),
    "transfer-not-pending": N_("Transfer already answered"),
    "transfer-already-pending": N_("A transfer is already pending"),
    "transfer-to-holder": N_("Transfer to the holder itself"),
    "institution-not-on-case": N_("Institution not on the case"),
    "not-the-holder": N_("Not the holding institution"),
    "wrong-transfer-side": N_("Wrong side of the transfer"),
    "act-not-found": N_("Act not found"),
    "webhook-not-found": N_("Webhook subscription or delivery not found"),
    "webhook-target-refused": N_("Webhook target refused"),
    "act-annulled": N_("Act annulled"),
    "act-not-correctable": N_("Act not correctable"),
    "nothing-to-correct": N_("Nothing to correct"),
    "correction-window-passed": N_("Correction window passed"),
    "funding-ended": N_("Funding ended"),
    "access-denied": N_("Access denied"),
    "report-period-off-grid": N_("Period not published as a report"),
    "report-period-not-published": N_("Report not published yet"),
}

API_TITLES: dict[str, str] = {
    "invalid-request": N_("Invalid request"),
    "invalid-text": N_("Text that cannot be stored"),
    "malformed-body": N_("Unreadable body"),
    "body-too-large": N_("Body too large"),
    "no-such-route": N_("No such route"),
    "method-not-allowed": N_("Method not allowed"),
    "unsupported-media-type": N_("Unsupported media type"),
    "too-many-requests": N_("Too many requests"),
    "http-error": N_("Request refused"),
    "unauthenticated": N_("Authentication required"),
    "store-unavailable": N_("Store unavailable"),
    "beneficiary-keys-unavailable": N_("Protected data unavailable"),
    "internal-error": N_("Internal error"),
    "invalid-if-match": N_("Invalid If-Match"),
    "if-match-required": N_("If-Match required"),
    "position-beyond-log": N_("Position beyond the log"),
    "read-side-behind": N_("Views not up to date yet"),
    "pdf-unavailable": N_("PDF not available"),
    "format-not-acceptable": N_("Format not served"),
    "invalid-idempotency-key": N_("Invalid Idempotency-Key"),
    "idempotency-key-required": N_("Idempotency-Key required"),
    "idempotency-key-reused": N_("Idempotency-Key reused"),
    "idempotency-key-recorded": N_("Already recorded under this Idempotency-Key"),
    "idempotency-key-in-progress": N_("Idempotency-Key in use"),
    "idempotency-key-taken-over": N_("Idempotency-Key taken over"),
    "idempotency-outcome-unknown": N_("Outcome not known yet"),
    # client applications (`api.integration.clients`) and their tokens (`routers.oauth`)
    "invalid-client": N_("Client authentication failed"),
    "invalid-token-request": N_("Invalid token request"),
    "unsupported-grant-type": N_("Unsupported grant type"),
    "client-tokens-from-identity-provider": N_("Tokens come from the identity provider"),
}

TITLES: dict[str, str] = {**DOMAIN_TITLES, **API_TITLES}

# A rule with no title of its own (a new one, until it gets one): titled by its status.
BY_STATUS: dict[int, str] = {
    400: N_("Bad request"),
    401: N_("Authentication required"),
    403: N_("Access denied"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    412: N_("Precondition failed"),
    413: N_("Body too large"),
    415: N_("Unsupported media type"),
    422: N_("Refused"),
    428: N_("Precondition required"),
    429: N_("Too many requests"),
    500: N_("Internal error"),
    503: N_("Service unavailable"),
}
OTHERWISE = N_("Request refused")


def title_of(rule: str, status: int) -> str:
    """The title template of a problem (`N_`), to translate where it is shown."""
    return TITLES.get(rule) or BY_STATUS.get(status) or OTHERWISE
