"""Bulk import of another system's history, through the same rules (issue 7)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from api.cli.importing import Importer, imported_case_id
from api.cli.main import cli
from api.settings import Settings
from api.store.factory import build_application
from bench.history import history_lines
from domain.application import Maillage
from domain.case import Case
from tests.world import World


def _history(world: World, cases: int, events_each: int) -> list[str]:
    return list(
        history_lines(world.p("jeanne"), world.i("aemo"), cases=cases, events_each=events_each)
    )


def _events_of(app: Maillage, case_id: Any) -> list[str]:
    return [type(e).__qualname__ for e in app.events.get(case_id)]


def test_a_history_is_recorded_case_by_case_through_the_rules(
    store_app: Maillage, store_world: World
) -> None:
    lines = _history(store_world, cases=30, events_each=8)
    report = Importer(store_app, source="aemo-legacy", batch=50).run(lines)
    assert report.refused == []
    assert (report.read, report.recorded, report.events) == (240, 240, 240)
    case_id = imported_case_id("aemo-legacy", "AEMO-000007")
    case = store_app.load(Case, case_id)
    assert case.version == 8
    assert _events_of(store_app, case_id) == [
        "Case.CaseOpened",
        *["Case.InterventionRecorded"] * 5,
        "Case.CoordinationMeetingHeld",
        "Case.CaseClosed",
    ]
    # Dated as it happened, years ago: the backdating window does not apply to history.
    first = next(iter(store_app.events.get(case_id)))
    assert first.occurred_at.year < 2024  # type: ignore[attr-defined]


def test_refused_lines_are_named_and_the_others_recorded(
    store_app: Maillage, store_world: World
) -> None:
    good = _history(store_world, cases=2, events_each=4)
    outsider = {
        "professional_id": str(store_world.p("paul")),
        "institution_id": str(store_world.i("aemo")),
    }
    bad = [
        "{not json",
        json.dumps({"command": "delete_everything", "case": "X", "by": {}}),
        json.dumps(
            {**json.loads(good[1]), "by": outsider}  # paul is not employed by the AEMO
        ),
        json.dumps({**json.loads(good[1]), "occurred_at": "2999-01-01T00:00:00+00:00"}),
        json.dumps({**json.loads(good[1]), "case": "NEVER-OPENED"}),
        good[0],  # the same case opened twice
        json.dumps({**json.loads(good[1]), "kind": "x" * 30}),
    ]
    lines = good[:4] + bad + good[4:]
    report = Importer(store_app, source="aemo-legacy").run(lines)
    by_line = {r.line: r.rule for r in report.refused}
    assert by_line == {
        5: "invalid-line",
        6: "invalid-line",
        7: "not-employed",
        8: "occurred-at-in-future",
        9: "not-found",
        10: "already-imported",
        11: "invalid-line",
    }
    assert report.recorded == len(good)
    for ref in ("AEMO-000000", "AEMO-000001"):
        assert store_app.load(Case, imported_case_id("aemo-legacy", ref)).version == 4


def test_importing_a_file_again_duplicates_nothing(store_app: Maillage, store_world: World) -> None:
    lines = _history(store_world, cases=5, events_each=5)
    first = Importer(store_app, source="aemo-legacy").run(lines)
    end = store_app.recorder.max_notification_id()
    again = Importer(store_app, source="aemo-legacy").run(lines)
    assert first.recorded == 25
    assert again.recorded == 0
    assert {r.rule for r in again.refused} == {"already-imported"}
    assert len(again.refused) == 25
    assert store_app.recorder.max_notification_id() == end
    # Another source's references are other cases.
    other = Importer(store_app, source="ase-legacy").run(lines)
    assert other.recorded == 25


def test_a_batch_changed_meanwhile_is_redone_line_by_line_and_loses_nothing(
    store_app: Maillage, store_world: World, store_settings: Settings
) -> None:
    Importer(store_app, source="aemo-legacy").run(_history(store_world, cases=3, events_each=3))
    followed = imported_case_id("aemo-legacy", "AEMO-000001")
    store_app.reopen_case(case_id=followed, by=store_world.actor("jeanne"), reason="reprise")
    more = [
        json.dumps(
            {
                "command": "record_intervention",
                "case": "AEMO-000001",
                "by": {
                    "professional_id": str(store_world.p("jeanne")),
                    "institution_id": str(store_world.i("aemo")),
                },
                "kind": "home_visit",
            }
        )
        for _ in range(10)
    ]
    importer = Importer(store_app, source="aemo-legacy", batch=1000)
    save_unit = store_app.save_unit
    elsewhere = build_application(store_settings)

    def a_writer_slips_in(unit: Any) -> Any:
        if not getattr(a_writer_slips_in, "done", False):
            a_writer_slips_in.done = True  # type: ignore[attr-defined]
            elsewhere.record_intervention(
                case_id=followed, by=store_world.actor("jeanne"), kind="assessment"
            )
        return save_unit(unit)

    store_app.save_unit = a_writer_slips_in  # type: ignore[method-assign]
    try:
        report = importer.run(more)
    finally:
        elsewhere.close()
    assert report.replayed_units == 1
    assert report.refused == []
    assert report.recorded == 10
    kinds = _events_of(store_app, followed)
    assert kinds.count("Case.InterventionRecorded") == 11  # 10 imported + the one that slipped in


def test_the_import_command_reports_refusals_and_exits_1(cli_env: Settings, tmp_path: Path) -> None:
    app = build_application(cli_env)
    try:
        world = World.build(app)
        lines = _history(world, cases=3, events_each=4)
    finally:
        app.close()
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join([*lines, "{broken"]) + "\n", encoding="utf-8")
    refused = tmp_path / "refused.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", str(history), "--source", "aemo-legacy", "--refused", str(refused)]
    )
    assert result.exit_code == 1, result.output
    assert "13 lines read: 12 recorded (12 events" in result.output
    assert [json.loads(r)["line"] for r in refused.read_text("utf-8").splitlines()] == [13]
    # Again from line 13 on: only the broken line is left, still refused.
    again = runner.invoke(
        cli, ["import", str(history), "--source", "aemo-legacy", "--from-line", "13"]
    )
    assert again.exit_code == 1
    assert "1 lines read: 0 recorded" in again.output
    fine = tmp_path / "fine.jsonl"
    fine.write_text("\n".join(_history(world, cases=1, events_each=3)).replace("AEMO-", "NEW-"))
    assert runner.invoke(cli, ["import", str(fine), "--source", "aemo-legacy"]).exit_code == 0


def test_a_date_given_as_a_number_refuses_its_line_and_records_nothing_of_it(
    cli_env: Settings, tmp_path: Path
) -> None:
    """Issue 14: an import line's dates are ISO 8601 strings, never Unix timestamps."""
    app = build_application(cli_env)
    try:
        world = World.build(app)
        opening, intervention = _history(world, cases=1, events_each=4)[:2]
        start = app.recorder.max_notification_id()
    finally:
        app.close()
    other_case = {**json.loads(opening), "case": "AEMO-NUMBERS"}
    epoch = int(datetime.fromisoformat(json.loads(intervention)["occurred_at"]).timestamp())
    lines = [
        opening,
        json.dumps({**other_case, "beneficiary": {**other_case["beneficiary"], "birth_date": 0}}),
        json.dumps({**other_case, "beneficiary": {**other_case["beneficiary"], "birth_date": "0"}}),
        json.dumps({**json.loads(intervention), "occurred_at": epoch}),
        json.dumps({**json.loads(intervention), "occurred_at": str(epoch)}),
        json.dumps({**other_case, "occurred_at": 86400.5}),
    ]
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = tmp_path / "refused.jsonl"
    result = CliRunner().invoke(
        cli, ["import", str(history), "--source", "aemo-legacy", "--refused", str(refused)]
    )
    assert result.exit_code == 1, result.output
    assert "6 lines read: 1 recorded (1 events" in result.output
    refusals = [json.loads(r) for r in refused.read_text("utf-8").splitlines()]
    assert [(r["line"], r["rule"], r["field"]) for r in refusals] == [
        (2, "invalid-line", "beneficiary.birth_date"),
        (3, "invalid-line", "beneficiary.birth_date"),
        (4, "invalid-line", "occurred_at"),
        (5, "invalid-line", "occurred_at"),
        (6, "invalid-line", "occurred_at"),
    ]
    assert all("ISO 8601" in r["detail"] for r in refusals)
    app = build_application(cli_env)
    try:
        assert app.recorder.max_notification_id() == (start or 0) + 1  # line 1's opening only
        assert app.load(Case, imported_case_id("aemo-legacy", "AEMO-000000")).version == 1
        numbers_case = imported_case_id("aemo-legacy", "AEMO-NUMBERS")
        assert list(app.events.get(numbers_case)) == []
    finally:
        app.close()
