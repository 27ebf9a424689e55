"""What the views of `api.http.routers.views` show, and refuse (they take no body)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "case_coherence": """
        The coherence view of a case now: who intervenes, for which institution, in which role, on
        what basis and whether that basis is valid; each actor's last intervention; the coordinator;
        the consents in force; and the alerts (`GET /vocabulary` lists their kinds: action without
        valid basis, lapsed delegation still in use, exchange without convention, share beyond
        consent, no coordinator, idle actor, act outside a delegation). Each alert is a sentence in
        the reader's language (`Accept-Language`, French by default) naming people and
        institutions, with its history (raised, resolved, acknowledged). An alert about past acts
        stays open until a supervisor acknowledges it with a note, even once resolved;
        `alerts=all` adds the acknowledged ones with their notes. Names are the registry's current
        display names, beside the ids.

        The reading is recorded before anything is shown (`CaseContentRead`, with your `purpose`).
        Pass a command's `position` as `after` to read your own write.

        Refusals:
        - 403 `access-denied`: a case worker reads the cases they take part in or hold a delegation
          in force for, a supervisor those their institution is or was involved in; or your token's
          professional is not employed by its institution.
        - 404 `not-found`: no such case.
    """,
    "case_coherence_as_of": """
        The coherence view as it stood at the instant `at` (with a time zone), rebuilt from the log.
        `question=recorded`: only what had been recorded by `at` (what a reader saw then).
        `question=occurred`: what had happened by `at`, as known now (entries recorded late
        included). An alert acknowledged after `at` shows open, as it was.

        The reading is recorded before anything is shown (`CaseContentRead`, with your `purpose`).

        Refusals:
        - 403 `access-denied`: a case worker reads the cases they take part in or hold a delegation
          in force for, a supervisor those their institution is or was involved in; or your token's
          professional is not employed by its institution.
        - 404 `not-found`: no such case, or the case did not exist yet at `at`.
        - 422 `invalid-value`: `at` has no time zone.
    """,
    "case_audit": """
        The case's full history, in log order: every act with who did it, for which institution and
        on what basis, and every reading of its content (who read which view, for which purpose).
        Paged (`limit`, `cursor`), filtered by `since`, `until` and event `kinds`.

        For supervisors of an institution that is or was involved in the case; this reading is
        recorded too (`CaseContentRead`).

        Refusals:
        - 403 `access-denied`: your institution was never involved in the case.
        - 404 `not-found`: no such case.
        - 422 `invalid-value`: a `cursor` this list did not return.
    """,
    "institution_audit": """
        What an institution's professionals did, and what was addressed to it (shares, referrals,
        concerning information), in log order. Paged (`limit`, `cursor`), filtered by `since`,
        `until` and event `kinds`.

        For the supervisors of that institution only.

        Refusals:
        - 403 `access-denied`: it is not the institution your token names.
        - 422 `invalid-value`: a `cursor` this list did not return.
    """,
    "caseload": """
        The cases a professional takes part in (and, with `include_past`, those they left): the
        case, their role and the basis they act on — only where they act for the reader's
        institution. Paged.

        Shown to the professional themself and to supervisors.

        Refusals:
        - 403 `access-denied`: a case worker reads only their own caseload.
    """,
    "involvement": """
        An institution's professionals on cases: who, on which case, in which role and on what basis
        (with `include_past`, past participations too). Paged.

        For the supervisors of that institution only.

        Refusals:
        - 403 `access-denied`: it is not the institution your token names.
    """,
    "my_work": """
        A professional's day in one call, from the read models: the open cases you take part in
        for your token's institution (a supervisor: the open cases your institution holds or has
        a professional on), each with your role, your basis, your last act and the kinds of the
        alerts open on it now (their sentences, naming people, are the coherence view's: a
        reading recorded with its purpose); the referrals waiting for your institution's answer
        (`referrals_cursor` pages them) and the transfer requests it has to answer
        (`transfers_cursor`). `with_alerts=true` keeps only the cases with an open alert. Paged
        by case (`limit`, `cursor`). No case content is shown (no beneficiary's identity, no free
        text), so nothing is recorded as a reading.

        Refusals:
        - 403 `access-denied`: a funder or an administrator takes no case.
        - 422 `not-employed`: your token's professional is not employed by its institution.
        - 422 `invalid-value`: a `cursor` this list did not return.
    """,
}
