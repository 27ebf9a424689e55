"""Every rule a problem can carry has a title, in French and English: the domain's errors (all
subclasses of `MaillageError`, wherever they are defined) and the rules the API answers with
itself (`PreconditionError`, `Answer`, `problem_response`, the `RULE` of a module)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import api.http
import domain
from api.http.problem_titles import API_TITLES, DOMAIN_TITLES, TITLES, title_of
from api.i18n import ENGLISH, FRENCH
from domain.errors import MaillageError

HTTP_ROOM = Path(api.http.__file__).parent
RULE_MAKERS = {"PreconditionError", "Answer", "problem_response", "problem_body"}


def _every_domain_error() -> set[type[MaillageError]]:
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    found: set[type[MaillageError]] = set()
    todo: list[type[MaillageError]] = [MaillageError]
    while todo:
        kind = todo.pop()
        found.add(kind)
        todo.extend(kind.__subclasses__())
    return found


def _api_rules() -> dict[str, str]:
    """rule -> where, for every rule literal the HTTP room answers with."""
    rules: dict[str, str] = {}
    for path in sorted(HTTP_ROOM.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            literals: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in RULE_MAKERS:
                    literals = node.args[:2]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "RULE" for t in node.targets
            ):
                literals = [node.value]
            elif isinstance(node, ast.Dict) and path.name == "problems.py":
                literals = [e for v in node.values if isinstance(v, ast.Tuple) for e in v.elts]
            for literal in literals:
                value = literal.value if isinstance(literal, ast.Constant) else None
                if isinstance(value, str) and value.replace("-", "").isalpha() and value.islower():
                    rules.setdefault(value, f"{path.name}:{literal.lineno}")
    return rules


def test_every_domain_error_has_a_title_in_french() -> None:
    errors = _every_domain_error()
    assert len(errors) > 40
    rules = {kind.rule for kind in errors}
    assert {r for r in rules if r not in DOMAIN_TITLES} == set()
    untranslated = {r for r in rules if FRENCH.gettext(TITLES[r]) == TITLES[r]}
    assert untranslated == set()


def test_every_rule_the_api_answers_with_has_a_title_in_french() -> None:
    rules = _api_rules()
    assert {"invalid-if-match", "idempotency-key-in-progress", "invalid-text"} <= rules.keys()
    assert {"body-too-large", "store-unavailable", "no-such-route"} <= rules.keys()
    missing = {r: where for r, where in rules.items() if r not in API_TITLES}
    assert missing == {}
    untranslated = {r for r in rules if FRENCH.gettext(TITLES[r]) == TITLES[r]}
    assert untranslated == set()


def test_titles_are_worded_per_language_and_fall_back_on_the_status() -> None:
    assert FRENCH.gettext(title_of("delegation-expired", 422)) == "Délégation expirée"
    assert ENGLISH.gettext(title_of("delegation-expired", 422)) == "Delegation expired"
    assert FRENCH.gettext(title_of("a-rule-of-tomorrow", 409)) == "Conflit"
    assert FRENCH.gettext(title_of("a-rule-of-tomorrow", 599)) == "Requête refusée"
