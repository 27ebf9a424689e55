"""A client polling the catch-up feed records one reading of a case per day and purpose, not one
per page (security review after issue 19): the case's audit trail and the person's export show
the day's reading, saying the day's further readings are covered by it; the next day's reading
is recorded again."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from domain.access import Role
from tests.e2e.conftest import Api
from tests.e2e.test_feed_http import _readings, audited_readings, caught_up, client, follow
from tests.world import NOW, World

KINDS = "Case.CaseOpened,Case.InterventionRecorded"


async def test_a_polling_client_reads_a_case_once_a_day_and_the_audit_says_so(api: Api) -> None:
    app = api.maillage
    world = World.build(app)
    aemo = world.i("aemo")
    case = world.open_case("jeanne")
    app.record_intervention(
        case_id=case, by=world.actor("jeanne"), kind="home_visit", summary="Visite au domicile"
    )
    reader_id, _ = client(api, aemo, personal_data=True, name="SI départemental")
    caught_up(api)
    for minutes in (0, 1, 2, 60):  # polling: every page opens the case's fields again
        api.travel(NOW + timedelta(minutes=minutes))
        reader = api.headers(Role.INTEGRATION, reader_id, aemo)  # a token of that time
        items = await follow(api, reader, kinds=KINDS)
        assert {i["personal_data"].get("summary") for i in items} >= {"Visite au domicile"}
    assert len(_readings(app, reader_id)) == 1
    api.travel(NOW + timedelta(days=1))
    await follow(api, api.headers(Role.INTEGRATION, reader_id, aemo), kinds=KINDS)
    readings = _readings(app, reader_id)
    assert [r.occurred_at for r in readings] == [NOW, NOW + timedelta(days=1)]

    read = await audited_readings(api, case, reader_id, aemo)
    assert len(read) == 2  # one a day, not one a page
    for entry in read:
        assert entry["summary"].startswith("SI départemental (AEMO Colmar) a consulté")
        assert "Flux de rattrapage" in entry["summary"]
        assert "première lecture du dossier ce jour-là" in entry["summary"]
        assert "sont couvertes par celle-ci" in entry["summary"]
    export = await api.client.get(
        f"/cases/{case}/personal-data", headers=api.headers(Role.DPO, uuid4(), aemo)
    )
    assert export.status_code == 200, export.text
    readers = [r for r in export.json()["readings"] if r["role"] == "integration"]
    assert len(readers) == 2
    assert {r["reader"]["professional"]["name"] for r in readers} == {"SI départemental"}
