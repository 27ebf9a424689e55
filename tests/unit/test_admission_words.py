"""What a refusal says was refused (an admission's `doing`, "auditing an institution") is French
in a French refusal: every admission of the domain, walked, refused to each role it names no
reason for, and worded as the API and the console word it (`Answer.worded`)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from uuid import uuid4

import pytest

import domain
from api.http.problems import answer_for
from api.i18n import FRENCH
from domain.access import Admission, Principal, Role, check_own_institution
from domain.errors import AccessDeniedError

ROOT = Path(__file__).parents[2]


def admissions() -> dict[str, Admission]:
    """Every admission a module of `domain` holds, by name (in a mapping too)."""
    found: dict[int, tuple[str, Admission]] = {}
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        for name, value in vars(importlib.import_module(module.name)).items():
            held = value.items() if isinstance(value, dict) else [(None, value)]
            for key, item in held:
                if isinstance(item, Admission):
                    label = f"{module.name}.{name}" + (f"[{key}]" if key is not None else "")
                    found.setdefault(id(item), (label, item))
    return dict(found.values())


ADMISSIONS = admissions()


def test_the_walk_finds_the_admissions() -> None:
    assert len(ADMISSIONS) >= 25
    assert any(a.doing == "auditing an institution" for a in ADMISSIONS.values())


@pytest.mark.parametrize("name", sorted(ADMISSIONS))
def test_a_refusal_names_what_was_refused_in_french(name: str) -> None:
    admission = ADMISSIONS[name]
    french = FRENCH.gettext(admission.doing)
    assert french != admission.doing, f"{name}: no French for {admission.doing!r}"
    worded = []
    for role in Role:
        if role in admission.roles or role in admission.refusals:
            continue
        with pytest.raises(AccessDeniedError) as refused:
            admission.check(Principal(uuid4(), role, uuid4()))
        worded.append(answer_for(refused.value).worded(FRENCH))
    own = pytest.raises(AccessDeniedError)
    with own:
        check_own_institution(
            Principal(uuid4(), Role.SUPERVISOR, uuid4()), uuid4(), doing=admission.doing
        )
    worded.append(answer_for(own.excinfo.value).worded(FRENCH))
    for sentence in worded:
        assert french in sentence, sentence
        assert admission.doing not in sentence, sentence


def test_every_doing_written_at_a_call_has_french() -> None:
    """The `doing=N_("…")` of the checks called with one (`check_own_institution`, …)."""
    written = set()
    for folder in ("domain", "api"):
        for source in (ROOT / folder).rglob("*.py"):
            written |= set(re.findall(r'doing=N_\(\s*"([^"]+)"', source.read_text()))
    assert "auditing an institution" in written
    for doing in sorted(written):
        assert FRENCH.gettext(doing) != doing, f"no French for {doing!r}"
