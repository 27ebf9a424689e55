"""The descriptions and request-body examples of the operations of `api.http.routers.rights`."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, str] = {
    "export_personal_data": """
        Everything Maillage holds about the case's beneficiary (RGPD art. 15 and 20), read from
        the log — not from the views: the identity held now and each rectification, the legal
        framework, every event of the case in order with its actor (ids and names), institution,
        basis (kind, reference and its name), `occurred_at` and `recorded_at` and its personal
        texts opened (summaries, reasons, notes, decisions), the consents, the shares with their
        legal ground and reference and their recipients, the referrals and their answers, and
        who read the case's content, when, in which role, which view and why.

        For a data-protection officer (`dpo`) of an institution that holds the case or is or was
        involved in it. The export is itself a reading: recorded (`CaseContentRead`, view
        `personal_data`, purpose `legal_request`) before anything is read, so it appears in the
        case's audit trail and in this and every later export.

        `format`: `json` (default: `PersonalDataRead`, its `schema_version` says which schema),
        `html` (a document in the reader's language, French first) or `pdf` (the same document,
        rendered by WeasyPrint); without `format`, `Accept: text/html` or `application/pdf`
        chooses. Once the person's data is erased, the export still answers with what remains:
        acts, bases, institutions and readings, every personal field reading `[erased]`
        (`erased: true`).

        Refusals:
        - 403 `access-denied`: you are not a data-protection officer, your token names no
          institution, or your institution never held nor was involved in the case.
        - 404 `not-found`: no such case.
        - 406 `pdf-unavailable`: PDF asked for where the service cannot render it.
        - 503 `read-side-behind`: the audit trail, through which the readings are found, has not
          caught up within 5 s: retry.
    """,
    "rectify_identity": """
        Rectify the beneficiary's identity (RGPD art. 16): the first name, last name or birth
        date given replace the ones held (those left out stay as they are), checked as at the
        opening (a name is not blank, a birth date is not in the future). For a data-protection
        officer of an institution that holds the case or is or was involved in it.

        Records `IdentityRectified` with the previous identity, the new one and the reason, all
        sealed under the person's key: every view then shows the new identity, the export shows
        both, and erasure destroys them with the key.

        Refusals:
        - 403 `access-denied`: you are not a data-protection officer, or your institution never
          held nor was involved in the case.
        - 404 `not-found`: no such case.
        - 409 `beneficiary-erased`: the person's data was erased.
        - 422 `identity-unchanged`: the fields given change nothing.
        - 422 `invalid-value`: a blank name, or a birth date in the future.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "rectify_identity": {
        "last_name": {
            "summary": "A last name misspelt at the opening",
            "value": {"last_name": "Schmitt", "reason": "Pièce d'identité présentée le 3 mars"},
        },
        "birth_date": {
            "summary": "A birth date corrected",
            "value": {"birth_date": "2014-05-14", "reason": "Acte de naissance transmis"},
        },
    }
}
