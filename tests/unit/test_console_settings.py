"""The console's settings the service refuses to start with (`Settings.check_secure`, run by
`create_app`): the development sign-in outside the embedded mode, a console key shorter than 32
characters, an identity provider without a configured callback outside the embedded mode (the
Host header would build it). The embedded mode keeps its defaults: its development sign-in and
a console key derived from its published HS256 key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from api.http.app import create_app
from api.http.console.session import Sessions, console_key
from api.settings import EMBEDDED_SIGNING_KEY, InsecureSettingsError, Settings

PRODUCTION = "postgresql+psycopg://maillage@db.invalid:5432/maillage"
CALLBACK = "https://maillage.example/console/sign-in/oidc/callback"


def settings(database_url: str = PRODUCTION, **values: Any) -> Settings:
    given: dict[str, Any] = {"database_url": database_url, "jwt_secret": "s" * 40, **values}
    return Settings(_env_file=None, **given)  # type: ignore[call-arg]


def embedded(tmp_path: Path, **values: Any) -> Settings:
    return settings(f"sqlite:///{tmp_path / 'm.sqlite3'}", jwt_secret=None, **values)


REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "the development sign-in": ({"console_dev_sign_in": True}, "MAILLAGE_CONSOLE_DEV_SIGN_IN"),
    "the development sign-in, with an identity provider's keys": (
        {
            "console_dev_sign_in": True,
            "jwt_secret": None,
            "jwt_jwks_url": "https://idp.invalid/jwks.json",
            "jwt_algorithms": ["RS256"],
            "console_secret": SecretStr("c" * 32),
        },
        "MAILLAGE_CONSOLE_DEV_SIGN_IN",
    ),
    "a short console key": ({"console_secret": SecretStr("c" * 31)}, "at least 32 characters"),
    "a provider without its callback": (
        {"oidc_issuer": "https://idp.example", "oidc_client_id": "maillage"},
        "MAILLAGE_OIDC_REDIRECT_URL",
    ),
    "a callback that is no address": (
        {"oidc_issuer": "https://idp.example", "oidc_redirect_url": "/console/callback"},
        "MAILLAGE_OIDC_REDIRECT_URL must be an absolute address",
    ),
}


@pytest.mark.parametrize(("values", "named"), REFUSED.values(), ids=REFUSED.keys())
def test_the_service_refuses_to_start_outside_the_embedded_mode(
    values: dict[str, Any], named: str
) -> None:
    refused = settings(**values)
    with pytest.raises(InsecureSettingsError, match=named):
        refused.check_secure()
    with pytest.raises(InsecureSettingsError, match=named):
        create_app(refused)


STARTS: dict[str, dict[str, Any]] = {
    "the development sign-in by default (off)": {},
    "the development sign-in turned off": {"console_dev_sign_in": False},
    "a 32-character console key": {"console_secret": SecretStr("c" * 32)},
    "a provider with its callback": {
        "oidc_issuer": "https://idp.example",
        "oidc_client_id": "maillage",
        "oidc_redirect_url": CALLBACK,
    },
}


@pytest.mark.parametrize("values", STARTS.values(), ids=STARTS.keys())
def test_the_service_starts_with_the_console_settings_of_production(
    values: dict[str, Any],
) -> None:
    """Control: the refusals above are those settings', not the rest's."""
    accepted = settings(**values)
    accepted.check_secure()
    create_app(accepted)


def test_the_embedded_mode_keeps_its_development_sign_in_and_derived_key(tmp_path: Path) -> None:
    mode = embedded(tmp_path, console_dev_sign_in=True)
    mode.check_secure()
    create_app(mode)
    key = console_key(mode)
    assert len(key) == 64
    assert key != EMBEDDED_SIGNING_KEY  # derived, never the token key itself
    assert console_key(embedded(tmp_path)) == key  # the same across restarts
    Sessions(mode)  # the console is configured
    embedded(tmp_path, oidc_issuer="https://idp.example", oidc_client_id="m").check_secure()


def test_a_short_console_key_is_refused_in_the_embedded_mode_too(tmp_path: Path) -> None:
    with pytest.raises(InsecureSettingsError, match="MAILLAGE_CONSOLE_SECRET"):
        embedded(tmp_path, console_secret=SecretStr("short")).check_secure()
