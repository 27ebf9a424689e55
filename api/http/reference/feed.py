"""What the catch-up feed (`api.http.routers.feed`) answers, and refuses (it takes no body)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "read_feed": """
        The events your institution may know, in log order, after the position `after`: for a
        client application (`integration` token: its client id, its institution), of the kinds
        its scope names, narrowed by `kinds`. Who may know an event is decided once, when the
        feed's read model takes it in: the institutions involved in a case from their first act
        on it, those an act is addressed to (a share, a referral, a transfer, the CRIP), the
        institutions a registry event names. A case your institution has no part in never
        appears.

        Each item gives its `position`, `kind`, the record and its version, the case, when it
        occurred and was recorded, who acted for which institution, the counterpart
        institution, the basis, and the event as a sentence in the answer's language
        (`Accept-Language`, French by default). Personal fields (the person's identity, free
        texts) are left out unless your client's scope includes personal data: then each event
        that carries some has `personal_data`, opened from the log (`[erased]` once erased),
        and one reading of each case whose fields the page opens is recorded, by your client,
        for its declared purpose, before the page is answered — visible in the case's audit
        trail.

        Resume from `next_after` (also in the `Link` header, `rel="next"`): positions have gaps
        (events for other institutions, other kinds, numbers a database transaction took and
        rolled back), so never count them. `limit` bounds a page; `has_more` says another is
        there already. With `wait`, an empty page is held open until an event arrives for you,
        or `wait` seconds pass (then an empty page). `head` is how far the feed has reached.

        Your client's scope is read at each request: a client revoked is refused at once.

        Refusals:
        - 403 `access-denied`: the token names no registered client, a revoked one, or another
          institution than the client's; or `kinds` names a kind your client does not follow.
        - 422 `invalid-value`: `limit` or `wait` beyond the service's bounds, or `kinds` names
          a kind the log does not record.
    """,
}
