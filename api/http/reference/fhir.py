"""What the FHIR view of `api.http.routers.fhir` shows, and refuses (it takes no body)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "case_fhir": """
        The case as one FHIR R4B `Bundle` (`type: collection`, `application/fhir+json`), built
        from the log and validated before it is sent; every reference is to an entry of the
        bundle (`urn:uuid:…`). docs/fhir-mapping.md maps it field by field:
        - `Patient`: what the case's file shows you (names, birth date); nothing personal once
          the person's data is erased;
        - `EpisodeOfCare`: open or finished (and when), the holding institution
          (`managingOrganization`) and every holder with its dates, the référent de parcours
          (`careManager`);
        - `CareTeam`: each professional who takes or took part, `onBehalfOf` their institution,
          with their role, period and basis (kind and reference, an extension);
        - `Consent`: each consent, who gave it, the institutions and categories it covers, its
          validity, in force or not;
        - `Provenance`: one per act — the professional, the institution acted for, and the
          delegation, convention, network or holder's mandate it rests on (`policy`);
        - `ServiceRequest` and `Task`: each referral, the task's status following it
          (requested, accepted, rejected, cancelled; failed once expired unanswered);
        - `AuditEvent`: each reading of the case's content (who, for which institution, when,
          why, which view) — for a supervisor, whose audit the readings are; a case worker's
          bundle has none;
        - `Organization`, `Practitioner`, `PractitionerRole`, `RelatedPerson`, `Device`: who the
          others name; a client application that read the case (its feed) is a `Device` owned
          by its institution, never a person.

        The same readers as the case's file; the reading is recorded before anything is read
        (`CaseContentRead`, view `fhir`, with your `purpose`). JSON only: `_format` (`json`,
        `application/json`, `application/fhir+json`) overrides `Accept`, which must let JSON in.

        Refusals:
        - 403 `access-denied`: a case worker reads the cases they take part in or hold a
          delegation in force for, a supervisor those their institution is or was involved in;
          funders, administrators, data-protection officers and client applications read no
          case.
        - 404 `not-found`: no such case.
        - 406 `format-not-acceptable`: `_format` or `Accept` asks for anything but JSON (XML…).
        - 422 `invalid-request`: no `purpose`.
        - 503 `read-side-behind`: (supervisors) the audit trail, through which the readings are
          found, has not caught up within 5 s: retry.
    """,
}
