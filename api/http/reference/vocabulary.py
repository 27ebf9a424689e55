"""The description of `GET /vocabulary` (`api.http.routers.vocabulary`)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "read_vocabulary": """
        Every code the API takes or answers, in lists (action kinds, information categories,
        legal grounds, roles, read purposes, scopes, basis kinds, alert kinds, sectors,
        institution kinds…), each code with its `label` (French by default, English with
        `Accept-Language: en`) and, where useful, a `description`. Codes are stable; labels are
        what a person reads.

        A legal ground lists its `conditions`: each has a `kind` — `attested` (list its code in
        the share's `legal_ground.attested`), `stated` (give a text under its code in
        `legal_ground.statements`) or `fact` (the service checks it from the case). An entry
        `{"any_of": [conditions…], "label": …}` is met by any one of them. A share refused with
        422 `legal-ground-conditions-not-met` names the conditions missing in `details`, in the
        same order and shape, by code: `"strictly_necessary"`, or
        `{"any_of": ["parental_authority_informed", "not_informed_reason"]}` — attest one of the
        codes, or state the other's text; never send the list as one code.

        Any authenticated role reads it: it holds no one's data, only what the schema's
        enumerations already publish, with words; a front-end reads it once per language.
    """,
}
