"""A case as FHIR: the resources other systems understand (a DAC's e-parcours tool, a
hospital, a département's information system), built from the log and validated with
`fhir.resources` before they leave. Mapping, field by field: docs/fhir-mapping.md.

Why FHIR R4B, not R5:
- The French national profiles — ANS's FR Core, the CI-SIS, the Annuaire Santé's FHIR API that
  carries FINESS, RPPS and ADELI numbers — are built on R4 (4.0.1). For every resource used
  here (Patient, Organization, Practitioner, PractitionerRole, RelatedPerson, Device,
  EpisodeOfCare, CareTeam, Consent, Provenance, AuditEvent, ServiceRequest, Task) R4B is R4 on
  the wire, so a French consumer reads this bundle with the R4 tooling and profiles it has.
- What the issue calls the act's *authorization* (its delegation, convention, network or the
  holder's own mandate) is `Provenance.policy` — "policy or plan the activity was defined by" —
  in R4 and R5 alike. R5's new `Provenance.authorization` is something else: a purpose of use
  (v3 PurposeOfUse), what `AuditEvent.purposeOfEvent` already says of a reading. R5 gains
  nothing for the mandate; each basis is also given, kind and reference, as a Maillage extension.
- `CareTeam.participant.onBehalfOf` exists in both (R4 requires the member to be a
  Practitioner for it, ctm-1: so it is); R5 renames the participant's `period` to
  `coveragePeriod`. R4's Consent (`scope`, `provision.actor`, `provision.period`) says who may
  receive which categories until when as well as R5's `grantee`/`decision`; R4's AuditEvent
  and Task/ServiceRequest carry every fact mapped here.
The move to R5, when French profiles move, is the `fhir.resources` import in `api.fhir.bundle`
and the few renamed elements listed in docs/fhir-mapping.md.
"""
