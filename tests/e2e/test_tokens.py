"""Token tampering: every bearer token the service cannot trust is refused with a 401 problem.

Each refusal is checked on a protected route (GET /institutions, open to every role once
authenticated): status 401, `application/problem+json` with `rule == "unauthenticated"`, and a
`WWW-Authenticate: Bearer` challenge. Positive controls show that the same route answers 200 to
a token the service must trust, so the refusals are the tokens' doing, not the route's.

Identity-provider keys too: an RS256 public key (generated here), and a JWKS served from a
local HTTP server, each with algorithm-confusion attempts (HS256 tokens keyed with the public
key). Also: the service refuses to start (`create_app` raises `InsecureSettingsError`, before any
store is reached) with settings that would let anyone mint tokens outside the embedded mode.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.http.app import create_app
from api.settings import EMBEDDED_SIGNING_KEY, InsecureSettingsError, Settings
from domain.access import Role
from domain.timing import TimePolicy
from tests.conftest import TEST_SIGNING_KEY
from tests.e2e.conftest import Api
from tests.world import NOW

PROTECTED = "/institutions"
PROBLEM = "application/problem+json"
DROP = object()  # a claim left out of the token
POSTGRES_URL = "postgresql://maillage@db.invalid:5432/maillage"  # never reached
GOOD_SECRET = "a-deployment-secret-of-32-chars!"
assert len(GOOD_SECRET) == 32


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Valid admin claims for these settings, with some changed (or left out: DROP)."""
    now = int(NOW.timestamp())
    base: dict[str, Any] = {
        "sub": str(uuid4()),
        "role": Role.ADMIN.value,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not DROP}


def hs256(payload: dict[str, Any], key: str) -> str:
    return jwt.encode(payload, key, algorithm="HS256")


def hs512(payload: dict[str, Any], key: str) -> str:
    with warnings.catch_warnings():  # the key is short for HS512: no matter, it is refused
        warnings.simplefilter("ignore")
        return jwt.encode(payload, key, algorithm="HS512")


def hand_signed_hs256(payload: dict[str, Any], secret: bytes, **header: Any) -> str:
    """HS256 built by hand: PyJWT refuses to use a PEM key as an HMAC secret, attackers don't."""
    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT', **header})}.{segment(payload)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def unsigned(payload: dict[str, Any]) -> str:
    """An `alg: none` token: header and payload, empty signature."""
    return f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(payload)}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["rule"] == "unauthenticated", body
    assert body["status"] == 401
    assert body["type"] == "urn:maillage:problem:unauthenticated"
    assert response.headers["www-authenticate"].lower().startswith("bearer")


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app over the same store with other settings, lifespan started."""
    app = create_app(settings, time=TimePolicy(clock=lambda: NOW))  # the `api` fixture's clock
    async with app.router.lifespan_context(app):
        # An unexpected failure shows as the 500 a client would get, not as a raised exception.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            yield client


# --- HS256 (the tests' shared secret) -------------------------------------------------------

Headers = Callable[[Settings], dict[str, str]]

REFUSED: dict[str, Headers] = {
    "no Authorization header": lambda s: {},
    "empty Authorization header": lambda s: {"Authorization": ""},
    "Bearer without a token": lambda s: {"Authorization": "Bearer"},
    "Bearer with blank token": lambda s: {"Authorization": "Bearer    "},
    "wrong scheme (Basic)": lambda s: {
        "Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()
    },
    "wrong scheme carrying a valid JWT": lambda s: {
        "Authorization": "Token " + hs256(claims(s), TEST_SIGNING_KEY)
    },
    "garbage token": lambda s: bearer("not-a-jwt"),
    "three garbage segments": lambda s: bearer("abc.def.ghi"),
    "header only": lambda s: bearer(segment({"alg": "HS256", "typ": "JWT"})),
    "signed with another key": lambda s: bearer(
        hs256(claims(s), "another-key-that-is-long-enough-0123456789")
    ),
    "signature stripped": lambda s: bearer(
        hs256(claims(s), TEST_SIGNING_KEY).rsplit(".", 1)[0] + "."
    ),
    "payload swapped after signing (role escalation)": lambda s: bearer(
        ".".join(
            [
                (t := hs256(claims(s, role="funder"), TEST_SIGNING_KEY).split("."))[0],
                segment(claims(s, role="admin")),
                t[2],
            ]
        )
    ),
    "alg none": lambda s: bearer(unsigned(claims(s))),
    "alg none with a signature": lambda s: bearer(unsigned(claims(s)) + b64url(b"anything")),
    "HS512 (not an accepted algorithm)": lambda s: bearer(hs512(claims(s), TEST_SIGNING_KEY)),
    "expired": lambda s: bearer(
        hs256(
            claims(s, iat=int(NOW.timestamp()) - 7200, exp=int(NOW.timestamp()) - 3600),
            TEST_SIGNING_KEY,
        )
    ),
    "not yet valid (nbf in the future)": lambda s: bearer(
        hs256(claims(s, nbf=int(NOW.timestamp()) + 3600), TEST_SIGNING_KEY)
    ),
    "issued in the future (iat)": lambda s: bearer(
        hs256(claims(s, iat=int(NOW.timestamp()) + 3600), TEST_SIGNING_KEY)
    ),
    "exp not a number": lambda s: bearer(hs256(claims(s, exp="tomorrow"), TEST_SIGNING_KEY)),
    "wrong audience": lambda s: bearer(hs256(claims(s, aud="another-api"), TEST_SIGNING_KEY)),
    "wrong issuer": lambda s: bearer(hs256(claims(s, iss="someone-else"), TEST_SIGNING_KEY)),
    "missing exp": lambda s: bearer(hs256(claims(s, exp=DROP), TEST_SIGNING_KEY)),
    "missing iat": lambda s: bearer(hs256(claims(s, iat=DROP), TEST_SIGNING_KEY)),
    "missing iss": lambda s: bearer(hs256(claims(s, iss=DROP), TEST_SIGNING_KEY)),
    "missing aud": lambda s: bearer(hs256(claims(s, aud=DROP), TEST_SIGNING_KEY)),
    "missing sub": lambda s: bearer(hs256(claims(s, sub=DROP), TEST_SIGNING_KEY)),
    "sub not a UUID": lambda s: bearer(hs256(claims(s, sub="jeanne"), TEST_SIGNING_KEY)),
    "missing role": lambda s: bearer(hs256(claims(s, role=DROP), TEST_SIGNING_KEY)),
    "unknown role": lambda s: bearer(hs256(claims(s, role="superuser"), TEST_SIGNING_KEY)),
    "role in capitals": lambda s: bearer(hs256(claims(s, role="ADMIN"), TEST_SIGNING_KEY)),
    "case_worker without inst": lambda s: bearer(
        hs256(claims(s, role="case_worker"), TEST_SIGNING_KEY)
    ),
    "supervisor without inst": lambda s: bearer(
        hs256(claims(s, role="supervisor"), TEST_SIGNING_KEY)
    ),
    "case_worker with inst not a UUID": lambda s: bearer(
        hs256(claims(s, role="case_worker", inst="aemo"), TEST_SIGNING_KEY)
    ),
    "signed with the embedded development key": lambda s: bearer(
        hs256(claims(s), EMBEDDED_SIGNING_KEY)
    ),
}


@pytest.mark.parametrize("make_headers", REFUSED.values(), ids=REFUSED.keys())
async def test_untrusted_tokens_are_refused(api: Api, make_headers: Headers) -> None:
    response = await api.client.get(PROTECTED, headers=make_headers(api.settings))
    assert_unauthenticated(response)


async def test_the_challenge_names_an_error_only_for_a_token_presented(api: Api) -> None:
    """RFC 6750 §3.1: no token, no error code in the challenge; a refused token,
    `invalid_token`."""
    missing = await api.client.get(PROTECTED)
    assert_unauthenticated(missing)
    assert missing.headers["www-authenticate"] == 'Bearer realm="maillage"'
    forged = await api.client.get(PROTECTED, headers=bearer(unsigned(claims(api.settings))))
    assert_unauthenticated(forged)
    assert forged.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


async def test_refusal_is_the_same_on_a_write(api: Api) -> None:
    body = {"name": "IME", "sector": "medico_social", "kind": "other"}
    forged = bearer(unsigned(claims(api.settings)))
    response = await api.client.post("/institutions", json=body, headers=forged)
    assert_unauthenticated(response)


async def test_a_valid_token_is_accepted(api: Api) -> None:
    response = await api.client.get(PROTECTED, headers=api.headers(Role.ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_a_valid_hand_built_token_is_accepted(api: Api) -> None:
    """The control for the tampered tokens: `claims()` and `hs256()` build trusted tokens."""
    token = hs256(claims(api.settings), TEST_SIGNING_KEY)
    response = await api.client.get(PROTECTED, headers=bearer(token))
    assert response.status_code == 200, response.text


async def test_the_scheme_is_case_insensitive(api: Api) -> None:
    token = api.token(Role.ADMIN)
    response = await api.client.get(PROTECTED, headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200, response.text


async def test_a_case_worker_token_with_inst_is_accepted(api: Api) -> None:
    response = await api.client.get(
        PROTECTED, headers=api.headers(Role.CASE_WORKER, uuid4(), uuid4())
    )
    assert response.status_code == 200, response.text


async def test_the_embedded_key_works_only_without_a_secret(api: Api) -> None:
    """Control for the refusal above: the embedded key is trusted in the embedded mode only."""
    if not api.settings.is_embedded:
        with pytest.raises(InsecureSettingsError):
            create_app(api.settings.model_copy(update={"jwt_secret": None}))
        return
    async with serving(api.settings.model_copy(update={"jwt_secret": None})) as client:
        token = hs256(claims(api.settings), EMBEDDED_SIGNING_KEY)
        accepted = await client.get(PROTECTED, headers=bearer(token))
        refused = await client.get(
            PROTECTED, headers=bearer(hs256(claims(api.settings), TEST_SIGNING_KEY))
        )
    assert accepted.status_code == 200, accepted.text
    assert_unauthenticated(refused)


# --- RS256 (an identity provider's key) -----------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rs256(payload: dict[str, Any], key: rsa.RSAPrivateKey, **headers: Any) -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers=headers or None)


async def test_rs256_tokens_of_the_configured_key(api: Api, rsa_key: rsa.RSAPrivateKey) -> None:
    pem = public_pem(rsa_key)
    settings = api.settings.model_copy(update={"jwt_public_key": pem, "jwt_algorithms": ["RS256"]})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    async with serving(settings) as client:
        valid = await client.get(PROTECTED, headers=bearer(rs256(claims(settings), rsa_key)))
        refused = {
            "algorithm confusion: HS256 keyed with the public key": hand_signed_hs256(
                claims(settings), pem.encode()
            ),
            "HS256 with the deployment's shared secret": hs256(claims(settings), TEST_SIGNING_KEY),
            "signed by another RSA key": rs256(claims(settings), other_key),
            "alg none": unsigned(claims(settings)),
            "RS256 but expired": rs256(
                claims(settings, iat=int(NOW.timestamp()) - 7200, exp=int(NOW.timestamp()) - 60),
                rsa_key,
            ),
            "RS256 but wrong audience": rs256(claims(settings, aud="another-api"), rsa_key),
        }
        answers = {
            name: await client.get(PROTECTED, headers=bearer(t)) for name, t in refused.items()
        }
    assert valid.status_code == 200, valid.text
    for name, response in answers.items():
        assert response.status_code == 401, name
        assert_unauthenticated(response)


async def test_algorithm_confusion_with_hs256_also_accepted(
    api: Api, rsa_key: rsa.RSAPrivateKey
) -> None:
    """A deployment accepting RS256 and HS256 with a public key: the PEM is no HMAC secret."""
    pem = public_pem(rsa_key)
    settings = api.settings.model_copy(
        update={"jwt_public_key": pem, "jwt_algorithms": ["RS256", "HS256"]}
    )
    async with serving(settings) as client:
        valid = await client.get(PROTECTED, headers=bearer(rs256(claims(settings), rsa_key)))
        forged = await client.get(
            PROTECTED, headers=bearer(hand_signed_hs256(claims(settings), pem.encode()))
        )
    assert valid.status_code == 200, valid.text
    assert_unauthenticated(forged)


@pytest.fixture(scope="module")
def jwks_server() -> Iterator[dict[str, Any]]:
    """An identity provider's JWKS address on 127.0.0.1; tests set the keys it serves."""
    served: dict[str, Any] = {"keys": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"keys": served["keys"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served["url"] = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    yield served
    server.shutdown()
    server.server_close()


def publish(jwks_server: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
    jwks_server["keys"] = [jwk]
    return str(jwks_server["url"])


async def test_jwks_tokens(
    api: Api, rsa_key: rsa.RSAPrivateKey, jwks_server: dict[str, Any]
) -> None:
    settings = api.settings.model_copy(
        update={"jwt_jwks_url": publish(jwks_server, rsa_key, "k1"), "jwt_algorithms": ["RS256"]}
    )
    async with serving(settings) as client:
        valid = await client.get(
            PROTECTED, headers=bearer(rs256(claims(settings), rsa_key, kid="k1"))
        )
        unknown_kid = await client.get(
            PROTECTED, headers=bearer(rs256(claims(settings), rsa_key, kid="k2"))
        )
        hs = await client.get(PROTECTED, headers=bearer(hs256(claims(settings), TEST_SIGNING_KEY)))
    assert valid.status_code == 200, valid.text
    assert_unauthenticated(unknown_kid)
    assert_unauthenticated(hs)


async def test_jwks_algorithm_confusion_is_a_401_not_a_crash(
    api: Api, rsa_key: rsa.RSAPrivateKey, jwks_server: dict[str, Any]
) -> None:
    """JWKS keys with HS256 also accepted: an HS256 token naming the JWKS key's kid.

    The JWKS key is a key object, not a string: HMAC must refuse it as a token error (401),
    never fail the request (500).
    """
    settings = api.settings.model_copy(
        update={
            "jwt_jwks_url": publish(jwks_server, rsa_key, "k1"),
            "jwt_algorithms": ["RS256", "HS256"],
        }
    )
    pem = public_pem(rsa_key)
    async with serving(settings) as client:
        forged = await client.get(
            PROTECTED, headers=bearer(hand_signed_hs256(claims(settings), pem.encode(), kid="k1"))
        )
    assert_unauthenticated(forged)


# --- Refusing to start ----------------------------------------------------------------------


def outside_embedded(**update: Any) -> Settings:
    """Settings of a PostgreSQL deployment (never reached), ignoring the environment."""
    values: dict[str, Any] = {
        "database_url": POSTGRES_URL,
        "jwt_secret": GOOD_SECRET,
        "jwt_public_key": None,
        "jwt_jwks_url": None,
        "jwt_algorithms": ["HS256"],
    }
    values.update(update)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


INSECURE: dict[str, dict[str, Any]] = {
    "no secret": {"jwt_secret": None},
    "the embedded development key": {"jwt_secret": EMBEDDED_SIGNING_KEY},
    "a short secret": {"jwt_secret": "x" * 31},
    "none among the algorithms": {"jwt_algorithms": ["HS256", "none"]},
    "None, capitalised": {"jwt_algorithms": ["None"]},
    "none with a public key": {
        "jwt_secret": None,
        "jwt_public_key": "-----BEGIN PUBLIC KEY-----",
        "jwt_algorithms": ["RS256", "none"],
    },
}


@pytest.mark.parametrize("update", INSECURE.values(), ids=INSECURE.keys())
def test_refuses_to_start_outside_the_embedded_mode(update: dict[str, Any]) -> None:
    settings = outside_embedded(**update)
    assert not settings.is_embedded
    with pytest.raises(InsecureSettingsError):
        settings.check_secure()
    with pytest.raises(InsecureSettingsError):
        create_app(settings)


def test_refuses_none_even_in_the_embedded_mode(tmp_path: Path) -> None:
    settings = outside_embedded(
        database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}", jwt_algorithms=["none"]
    )
    assert settings.is_embedded
    with pytest.raises(InsecureSettingsError):
        create_app(settings)


SECURE: dict[str, dict[str, Any]] = {
    "a 32-character secret": {},
    "an identity provider's public key": {
        "jwt_secret": None,
        "jwt_public_key": "-----BEGIN PUBLIC KEY-----",
        "jwt_algorithms": ["RS256"],
    },
    "a JWKS address": {
        "jwt_secret": None,
        "jwt_jwks_url": "https://idp.invalid/.well-known/jwks.json",
        "jwt_algorithms": ["RS256"],
    },
}


@pytest.mark.parametrize("update", SECURE.values(), ids=SECURE.keys())
def test_starts_with_secure_settings(update: dict[str, Any]) -> None:
    """Control: create_app itself reaches no store, so the refusals above are the settings'."""
    settings = outside_embedded(**update)
    settings.check_secure()
    create_app(settings)


def test_embedded_mode_starts_without_a_secret(tmp_path: Path) -> None:
    settings = outside_embedded(database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}", jwt_secret=None)
    assert settings.signing_key() == EMBEDDED_SIGNING_KEY
    create_app(settings)
