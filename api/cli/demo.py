"""A realistic demo: one child-protection situation around Colmar, and a teenager's file.

The story is data (`api.cli.demo_script`, `api.cli.demo_cases`): steps naming a use case and
its arguments. `load_demo` walks it through the application, so the demo obeys every rule and
its bases are decided by the domain; `demo_tokens` gives a token for each role over its people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from api.cli.demo_script import FUNDERS, INSTITUTIONS, PROFESSIONALS, SCRIPT
from api.cli.demo_terms import Say, Scene
from api.http.auth import mint_token
from api.i18n import FRENCH
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage, Recorded
from domain.values import Actor

__all__ = ["FUNDERS", "INSTITUTIONS", "PROFESSIONALS", "DemoStory", "demo_tokens", "load_demo"]


class Progress(Protocol):
    def print(self, *objects: object) -> None: ...


@dataclass
class DemoStory:
    institutions: dict[str, UUID] = field(default_factory=dict)
    professionals: dict[str, UUID] = field(default_factory=dict)
    partnerships: dict[str, UUID] = field(default_factory=dict)
    networks: dict[str, UUID] = field(default_factory=dict)
    delegations: dict[str, UUID] = field(default_factory=dict)
    cases: dict[str, UUID] = field(default_factory=dict)
    funders: dict[str, UUID] = field(default_factory=dict)  # institutions too, apart
    fundings: dict[str, UUID] = field(default_factory=dict)
    events: int = 0

    def actor(self, professional: str, institution: str) -> Actor:
        return Actor(self.professionals[professional], self.institutions[institution])

    def summary(self) -> str:
        return (
            f"{len(self.institutions)} institutions, {len(self.funders)} funders, "
            f"{len(self.professionals)} professionals, "
            f"{len(self.partnerships)} partnerships, {len(self.networks)} networks, "
            f"{len(self.delegations)} delegations, {len(self.fundings)} fundings, "
            f"{len(self.cases)} cases, "
            f"log position {self.events}"
        )


@dataclass(frozen=True)
class DemoToken:
    variable: str
    label: str
    who: str
    token: str


# Funders, administrators and data-protection officers are people too, outside the demo's
# registry: fixed ids.
DEMO_FUNDER = UUID("00000000-0000-4000-8000-00000000f0d1")
DEMO_ADMIN = UUID("00000000-0000-4000-8000-0000000000ad")
DEMO_DPO = UUID("00000000-0000-4000-8000-000000000d90")


def demo_tokens(settings: Settings, story: DemoStory, *, now: datetime) -> list[DemoToken]:
    """A token for each role, over the demo's people, issued at `now`."""
    i, p = story.institutions, story.professionals
    grants = [
        (
            "CASE_WORKER_TOKEN",
            "case worker",
            "Jeanne Martin, AEMO (Léo's referent)",
            p["jeanne"],
            Role.CASE_WORKER,
            i["aemo"],
        ),
        (
            "CASE_WORKER_CMP_TOKEN",
            "case worker",
            "Dr Sophie Weber, CMP (delegation revoked; Inès's referral waits for the CMP: "
            "GET /me/work)",
            p["sophie"],
            Role.CASE_WORKER,
            i["cmp"],
        ),
        (
            "CASE_WORKER_ASE_TOKEN",
            "case worker",
            "Karim Benali, ASE (the AEMO asks to hold Inès's case: GET /me/work, GET /transfers)",
            p["karim"],
            Role.CASE_WORKER,
            i["ase"],
        ),
        (
            "SUPERVISOR_TOKEN",
            "supervisor",
            "Claire Roth, head of the AEMO service",
            p["claire"],
            Role.SUPERVISOR,
            i["aemo"],
        ),
        (
            "FUNDER_TOKEN",
            "funder",
            "the département's funding officer: reports of the departmental protocol "
            f"(/reports/partnerships/{story.partnerships['protocol']}) and of the AEMO service",
            DEMO_FUNDER,
            Role.FUNDER,
            story.funders["departement"],
        ),
        (
            "ADMIN_TOKEN",
            "admin",
            "the registry's administrator (no case content)",
            DEMO_ADMIN,
            Role.ADMIN,
            None,
        ),
        (
            "DPO_TOKEN",
            "dpo",
            "the AEMO's data-protection officer: the person's rights (export, rectification, "
            f"erasure), e.g. /cases/{story.cases['leo']}/personal-data?format=html",
            DEMO_DPO,
            Role.DPO,
            i["aemo"],
        ),
    ]
    return [
        DemoToken(
            variable,
            label,
            who,
            mint_token(settings, subject=subject, role=role, institution_id=institution, now=now),
        )
        for variable, label, who, subject, role, institution in grants
    ]


def load_demo(
    app: Maillage, *, now: datetime | None = None, progress: Progress | None = None
) -> DemoStory:
    """Record the demo in `app`; dates are relative to `now` (default: the application's
    clock), within the back-dating window."""
    story = DemoStory()
    scene = Scene(
        now or app.time.now(),
        {
            "institutions": story.institutions,
            "funders": story.funders,
            "professionals": story.professionals,
            "partnerships": story.partnerships,
            "networks": story.networks,
            "delegations": story.delegations,
            "fundings": story.fundings,
            "cases": story.cases,
            "referrals": {},
        },
    )
    for line in SCRIPT:
        if isinstance(line, Say):
            if progress is not None:
                progress.print(f"  · {FRENCH.gettext(line.message)}")
            continue
        use_case = getattr(app, line.command)
        recorded: Recorded = use_case(**{k: scene.resolve(v) for k, v in line.args.items()})
        if line.keep is not None:
            kept = recorded.entity_id if line.entity else recorded.id
            if kept is None:
                raise RuntimeError(f"{line.command} created nothing to keep as {line.keep}")
            scene.keep(*line.keep, kept)
    story.events = app.recorder.max_notification_id() or 0
    return story
