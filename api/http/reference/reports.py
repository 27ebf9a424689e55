"""The descriptions and request-body examples of the operations of `api.http.routers.reports`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import CONVENTION, DEPARTEMENT

_PERIOD = """
- 422 `report-period-off-grid`: the period is not a calendar month, quarter or year.
- 422 `report-period-not-published`: acts may still be dated in it (the backdating window,
  `MAILLAGE_BACKDATING_WINDOW_DAYS`, is not over).
- 422 `invalid-value`: only one of `from` and `to`."""


def _report(scope: str, shape: str) -> str:
    return f"""
The report of a {scope} {shape}, over a published period (`from`, `to`; by default the latest
published quarter): beneficiaries followed, interventions by kind and by institution, the
share done under formal delegation and informally, institutions per beneficiary, time to a
first coordination meeting. No person is named, and every figure that could single one out is
withheld (`MAILLAGE_REPORT_MIN_CELL`), with whatever would let it be recovered. Months and days
are those of the service's time zone (`MAILLAGE_TIME_ZONE`, default Europe/Paris); labels are in
French, in English with `Accept-Language: en`.

For a funder whose institution funds the {scope} over every month of the period, and for
supervisors of one of its member institutions.

Refusals:
- 403 `access-denied`: neither of those.
- 404 `not-found`: no such {scope}.{_PERIOD}"""


_SHAPES = {
    "report": "as JSON (every code with its label)",
    "report_csv": "as a CSV download (`text/csv`, UTF-8 with a byte-order mark; `dialect=fr`: "
    "`;` and a decimal comma, `dialect=en`: `,` and a decimal point; by default the language's; "
    "a text a spreadsheet could take for a formula starts with an apostrophe)",
    "report_chart": "as a chart, SVG (default) or PNG (`format`)",
}
REPORTS = {
    f"{scope}_{route}": _report(scope, shape)
    for scope in ("institution", "partnership", "network")
    for route, shape in _SHAPES.items()
}

DESCRIPTIONS: dict[str, str] = {
    **REPORTS,
    "grant_funding": """
        Record that an institution (`funder_id`: a département, an ARS, a CAF, a foundation…) funds
        a partnership, a formal network or an institution over a period: its funder tokens then read
        that scope's reports over the funded months.

        Records `FundingGranted`.

        Refusals:
        - 404 `not-found`: no such funder, or no such partnership, network or institution.
        - 422 `invalid-value`: an institution funding itself, or dates in the wrong order.
    """,
    "end_funding": """
        End a funding early: `ended_on` is its last funded day.

        Records `FundingEnded`.

        Refusals:
        - 404 `not-found`: no such funding.
        - 409 `funding-ended`: it is ended already.
        - 422 `invalid-value`: it would end before it starts.
    """,
    "list_fundings": """
        Fundings: every one for an administrator; for a funder, those of the institution its token
        names (funder, target, period, end, reference).

        Refusals:
        - 403 `access-denied`: a funder's token that names no institution.
    """,
    "network_map": """
        Which institutions work together, on how many shared beneficiaries, under which tie
        (convention, charter, network, or none) over a published period (`from`, `to`; default the
        latest published quarter). No person is named; counts that could single one out are
        withheld.

        For supervisors (heads of service, network coordinators, inspectors).

        Refusals:
        - 422 `report-period-off-grid`: the period is not a calendar month, quarter or year.
        - 422 `report-period-not-published`: acts may still be dated in it (the backdating window is
          not over).
        - 422 `invalid-value`: only one of `from` and `to`.
    """,
    "network_map_picture": """
        The network map (`network_map`) drawn as a picture, SVG (default) or PNG (`format`), its
        labels in the language asked for.

        For supervisors.

        Refusals:
        - 422 `report-period-off-grid`: the period is not a calendar month, quarter or year.
        - 422 `report-period-not-published`: acts may still be dated in it.
        - 422 `invalid-value`: only one of `from` and `to`.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "grant_funding": {
        "protocol": {
            "summary": "The département funds the protocol's convention",
            "value": {
                "funder_id": DEPARTEMENT,
                "target_kind": "partnership",
                "target_id": CONVENTION,
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "reference": "Convention de financement CD68 2026-03",
            },
        }
    },
    "end_funding": {
        "early": {
            "summary": "Ended early",
            "value": {"ended_on": "2026-09-30", "reason": "Fin anticipée de l'appel à projets."},
        }
    },
}
