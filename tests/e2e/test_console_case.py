"""The console's case pages keep the API's rules (issue 18, pages 2): the list shows no name;
a case's content is shown only with a purpose, and its reading recorded first; a supervisor of
an institution not on the case, and a funder, get a refusal that shows nothing and records
nothing; the acknowledgement of an alert with a note is the API's, then in the case's audit
trail; a form without its CSRF token changes nothing; a date that is none is said so (422)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.access import Role
from tests.e2e.conftest import Api
from tests.e2e.test_coherence_http import Scene, build
from tests.world import events_since, position

NOTE = "Convention reprise ; rappel de la procédure fait à l'équipe."


def readings(api: Api, since: int, case_id: UUID) -> list[tuple[str, str]]:
    """The readings of the case's content recorded since `since`: (view, purpose)."""
    return [
        (e.view, e.purpose)  # type: ignore[attr-defined]
        for e in events_since(api.maillage, since)
        if type(e).__name__ == "CaseContentRead" and e.case_id == case_id  # type: ignore[attr-defined]
    ]


def acknowledgements(api: Api, since: int) -> list[str]:
    return [
        type(e).__name__
        for e in events_since(api.maillage, since)
        if type(e).__name__ == "AlertAcknowledged"
    ]


def claire(api: Api, s: Scene) -> object:
    return api.console(Role.SUPERVISOR, s.claire, s.world.i("aemo"), name="Claire Roth")


def settled(api: Api) -> None:
    assert api.services.projections.wait_for(position(api.maillage), timeout=10)


async def test_the_list_shows_the_cases_and_their_alerts_by_kind_without_names(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        listed = await c.get("/console/cases")
    assert listed.status_code == 200, listed.text
    assert f'href="/console/cases/{s.case_id}"' in listed.text
    assert "AEMO Colmar" in listed.text
    assert "Échange sans convention</span> : 1" in listed.text
    assert "Léo" not in listed.text
    assert "Schmitt" not in listed.text
    assert readings(api, start, s.case_id) == []


async def test_without_a_purpose_nothing_is_shown_nor_recorded(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        asked = await c.get(f"/console/cases/{s.case_id}")
        wrong = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "curiosity"})
    assert asked.status_code == 200
    assert 'name="purpose"' in asked.text
    assert wrong.status_code == 422
    for page in (asked, wrong):
        assert "Léo" not in page.text
        assert "Schmitt" not in page.text
        assert "Sophie" not in page.text
    assert readings(api, start, s.case_id) == []


async def test_with_a_purpose_the_case_is_shown_and_its_reading_recorded(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        page = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "supervision"})
    assert page.status_code == 200, page.text
    text = page.text
    assert "<h1>Dossier de Léo Schmitt</h1>" in text
    assert "Sophie" in text
    assert "CMP Colmar" in text
    assert 'class="timeline"' in text
    assert "Incohérence" in text  # marked with a word, not only a colour
    assert "Mme Schmitt (mère)" in text  # the consent's representative, opened
    assert "a agi sur ce dossier hors du champ de sa délégation" in text  # an alert, worded
    assert 'name="note"' in text  # a supervisor may acknowledge
    assert readings(api, start, s.case_id) == [("coherence", "supervision")]


async def test_a_supervisor_elsewhere_is_refused_and_nothing_is_recorded(api: Api) -> None:
    s = build(api)
    app = api.maillage
    elsewhere = app.register_institution(
        name="Foyer ailleurs", sector="social", kind="association"
    ).id
    paula = app.register_professional(name="Paula", profession="directrice").id
    app.start_employment(professional_id=paula, institution_id=elsewhere, start=date(2020, 1, 1))
    settled(api)
    start = position(app)
    async with api.console(Role.SUPERVISOR, paula, elsewhere, name="Paula") as c:
        refused = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "supervision"})
        as_of = await c.get(
            f"/console/cases/{s.case_id}/as-of",
            params={"purpose": "audit", "at": "2026-11-10T10:00", "compare": "2026-11-19T10:00"},
        )
        ack = await c.post(
            f"/console/cases/{s.case_id}/alerts/acknowledgement",
            {"alert_kind": "exchange_without_convention", "versions": str(s.shared), "note": NOTE},
        )
        listed = await c.get("/console/cases")
    for page in (refused, as_of, ack):
        assert page.status_code == 403, page.text
        assert "<h1>Refusé</h1>" in page.text
        assert "Léo" not in page.text
        assert "Schmitt" not in page.text
    assert str(s.case_id) not in listed.text
    assert readings(api, start, s.case_id) == []
    assert acknowledgements(api, start) == []


async def test_a_funder_never_reaches_a_case(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with api.console(Role.FUNDER, uuid4(), s.world.i("ase")) as c:
        page = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "audit"})
        listed = await c.get("/console/cases")
    for refused in (page, listed):
        assert refused.status_code == 403
        assert "un financeur" in refused.text
        assert "Léo" not in refused.text
    assert readings(api, start, s.case_id) == []


async def test_acknowledging_with_a_note_then_the_alert_reads_acknowledged(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        url = f"/console/cases/{s.case_id}/alerts/acknowledgement"
        form = {
            "alert_kind": "exchange_without_convention",
            "versions": str(s.shared),
            "purpose": "supervision",
        }
        blank = await c.post(url, {**form, "note": "   "})
        assert blank.status_code == 422
        assert "Nothing was recorded" not in blank.text  # in French
        assert 'aria-invalid="true"' in blank.text
        no_csrf = await c.client.post(url, data={**form, "note": NOTE})
        assert no_csrf.status_code == 403
        assert acknowledgements(api, start) == []

        done = await c.post(url, {**form, "note": NOTE})
        assert done.status_code == 303, done.text
        back = done.headers["location"]
        assert back.startswith(f"/console/cases/{s.case_id}?purpose=supervision")
        page = await c.get(back)
    assert page.status_code == 200, page.text
    assert acknowledgements(api, start) == ["AlertAcknowledged"]
    assert NOTE.replace("'", "&#39;") in page.text  # the note, in the alert's history
    assert "Claire Roth" in page.text
    acknowledged = page.text.split("Alertes prises en compte")[1]
    assert "Prise en compte" in acknowledged
    # And in the case's audit trail, by Claire.
    settled(api)
    trail = await api.client.get(
        f"/cases/{s.case_id}/audit",
        params={"purpose": "audit", "kinds": "AlertAcknowledged", "after": str(start)},
        headers=api.headers(Role.SUPERVISOR, s.claire, s.world.i("aemo")),
    )
    assert trail.status_code == 200, trail.text
    (entry,) = trail.json()["items"]
    assert entry["professional_id"] == str(s.claire)


async def test_a_case_worker_may_not_acknowledge(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with api.console(Role.CASE_WORKER, s.world.p("jeanne"), s.world.i("aemo")) as c:
        page = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "follow_up"})
        refused = await c.post(
            f"/console/cases/{s.case_id}/alerts/acknowledgement",
            {"alert_kind": "exchange_without_convention", "versions": str(s.shared), "note": NOTE},
        )
    assert page.status_code == 200
    assert 'name="note"' not in page.text
    assert refused.status_code == 403
    assert acknowledgements(api, start) == []


async def test_the_case_at_two_instants_and_a_date_that_is_none(api: Api) -> None:
    s = build(api)
    settled(api)
    start = position(api.maillage)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        url = f"/console/cases/{s.case_id}/as-of"
        bad = await c.get(
            url, params={"purpose": "audit", "at": "2026-11-10T10:00", "compare": "le 3 mars"}
        )
        far = await c.get(
            url, params={"purpose": "audit", "at": "0001-01-01T00:00", "compare": "2026-11-19"}
        )
        assert readings(api, start, s.case_id) == []
        shown = await c.get(
            url,
            params={
                "purpose": "audit",
                "at": "2026-11-01T10:00",  # before the case was opened (ten days ago)
                "compare": "2026-11-19T10:00",
                "question": "occurred",
            },
        )
    assert bad.status_code == 422
    assert "Seconde date" in bad.text or "second" in bad.text.lower()
    assert far.status_code == 422
    assert "Léo" not in bad.text
    assert shown.status_code == 200, shown.text
    assert shown.text.count('class="as-of-column"') == 2
    assert "Sophie" in shown.text
    assert readings(api, start, s.case_id) == [("coherence_as_of", "audit")]


async def test_the_timeline_keeps_who_left_and_when(api: Api) -> None:
    s = build(api)
    app = api.maillage
    app.join_case(case_id=s.case_id, by=s.world.actor("karim"), role="référent ASE")
    app.leave_case(case_id=s.case_id, by=s.world.actor("karim"))
    settled(api)
    async with claire(api, s) as c:  # type: ignore[attr-defined]
        page = await c.get(f"/console/cases/{s.case_id}", params={"purpose": "supervision"})
    assert page.status_code == 200, page.text
    timeline = page.text.split('class="timeline"')[1].split("</ol>")[0]
    assert "Karim rejoint le dossier comme référent ASE." in timeline
    assert "Karim quitte le dossier." in timeline
    assert "ASE 68" in timeline
