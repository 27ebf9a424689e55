"""The descriptions and request-body examples of the operations of `api.http.routers.referrals`."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, str] = {
    "revoke_referral": """
        Withdraw a referral your institution made, before the referred institution answers it,
        with the reason (sealed with the person's data). It can then be neither accepted nor
        declined.

        Records `ReferralRevoked`.

        Refusals:
        - 403 `access-denied`: you neither take part in the case nor hold a delegation in force for
          it.
        - 404 `not-found`: no such case.
        - 404 `referral-not-found`: the case has no such referral.
        - 409 `referral-not-pending`: it was answered, revoked or expired already
          (`details.status`).
        - 409 `case-closed`: the case is closed.
        - 422 `not-a-case-participant`: you hold a delegation for the case but have not joined it.
        - 422 `wrong-institution`: the referral was made by another institution.
        - 422 `invalid-value`: a blank reason.
        - 422 `not-employed`: your token's professional is not employed by its institution.
    """,
    "list_referrals": """
        The referrals your institution (the token's) received — its inbox, `box=received` — or
        made (`box=sent`), newest first: who referred, from which institution, to which, what it
        shares (categories, labelled), since when, when it expires, where it stands. A referral
        unanswered for `MAILLAGE_REFERRAL_EXPIRY_DAYS` (30 by default) reads `expired`. Filter by
        `status` and `case_id`; page with `limit` and `next_cursor`. The reason is not listed (it
        is personal): read it on the referral's own view.

        Refusals:
        - 403 `access-denied`: your token's professional is not employed by its institution.
        - 422 `invalid-value`: a `cursor` this list did not return.
    """,
    "read_referral": """
        One referral as the two institutions it links read it (case workers and supervisors of
        the referring or the referred institution): who referred, the institutions, the reason,
        what it shares and on what (consents, or a legal ground's statute), where it stands — and
        the person's identity only if the referral shares `identity`. Until the referral is
        accepted, this is all the referred institution reads of the case: not its file.

        Recorded as a reading of the case (view `referral`) with your purpose: supervisors see it
        in the case's audit trail.

        Refusals:
        - 403 `access-denied`: your institution neither made nor received this referral, or your
          token's professional is not employed by it.
        - 404 `not-found`: no such case.
        - 404 `referral-not-found`: the case has no such referral.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "revoke_referral": {
        "other_answer": {
            "summary": "Revoked: the family found another service",
            "value": {"reason": "La famille a trouvé une place au CMPP de Colmar entre-temps."},
        }
    },
}
