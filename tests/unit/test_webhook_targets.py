"""The guard on webhook targets (server-side request forgery), and the retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.integration.webhooks.outbox import backoff
from api.integration.webhooks.targets import TargetRefusedError, check_target

DNS = {
    "hooks.example.org": ["93.184.215.14"],
    "intranet.example.org": ["10.1.2.3"],
    "dual.example.org": ["93.184.215.14", "192.168.1.9"],
    "v6.example.org": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
}


def resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("no such host")
    return DNS[host]


def check(url: str, *, allow_http: bool = False, allow_private: bool = False) -> str:
    return check_target(url, allow_http=allow_http, allow_private=allow_private, resolver=resolver)


def test_a_public_https_target_is_accepted() -> None:
    assert (
        check("https://hooks.example.org/maillage?x=1") == "https://hooks.example.org/maillage?x=1"
    )
    assert check("https://v6.example.org:8443/in")
    assert check("https://93.184.215.14/in")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.org/", "https:// address only"),
        ("ftp://hooks.example.org/", "https:// address only"),
        ("https://user:secret@hooks.example.org/", "no user name or password"),
        ("https:///nohost", "names no host"),
        ("https://hooks.example.org:99999/", "not a web address"),
        ("https://nowhere.example.org/", "does not resolve"),
        ("https://intranet.example.org/", "10.1.2.3, which is not a public address"),
        ("https://dual.example.org/", "192.168.1.9"),  # every address is checked
        ("https://127.0.0.1/", "127.0.0.1"),
        ("https://[::1]/", "::1"),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),  # a cloud's metadata
        ("https://0.0.0.0/", "0.0.0.0"),
        ("https://100.64.1.1/", "100.64.1.1"),  # shared (CGNAT)
        ("https://224.0.0.1/", "224.0.0.1"),  # multicast
        ("https://240.0.0.1/", "240.0.0.1"),  # reserved
        ("https://[::ffff:10.0.0.1]/", "::ffff:a00:1"),  # IPv4-mapped private
        ("https://[2002:7f00:1::]/", "2002:7f00:1::"),  # 6to4 of 127.0.0.1
        ("https://[fe80::1]/", "fe80::1"),  # link-local
        ("https://[fc00::1]/", "fc00::1"),  # unique local
        ("https://" + "a" * 2001, "too long"),
        # what urlsplit silently drops, the sender does not: refused, never read two ways
        ("https://hooks.example.org/hook\n", "no space nor control character"),
        ("https://hooks.example.org/h\took", "no space nor control character"),
        ("https://hooks.exam\rple.org/", "no space nor control character"),
        ("https://hooks.example.org/a b", "no space nor control character"),
        ("https://hooks.example.org/\x85", "no space nor control character"),
        ("https://hooks.example.org/\u2028", "no space nor control character"),
        ("https://xn--/", "not a web address"),  # an empty IDNA label
        ("https://hooks.example.org:0/", "not a web address"),
        ("https://[::1/", "not a web address"),
    ],
)
def test_a_target_out_of_reach_is_refused_naming_the_url(url: str, reason: str) -> None:
    with pytest.raises(TargetRefusedError) as refused:
        check(url)
    assert refused.value.field == "url"
    assert reason in refused.value.message


def test_http_only_in_the_embedded_mode_and_private_targets_only_when_allowed() -> None:
    assert check("http://hooks.example.org/", allow_http=True)
    with pytest.raises(TargetRefusedError, match="https:// address only"):
        check("http://127.0.0.1:8080/", allow_private=True)  # outside the embedded mode
    assert check("https://127.0.0.1:8443/", allow_private=True)
    assert check("https://intranet.example.org/", allow_private=True)
    with pytest.raises(TargetRefusedError, match="user name"):
        check("https://u@127.0.0.1/", allow_private=True)


def test_the_wait_doubles_with_jitter_up_to_the_cap() -> None:
    def wait(attempts: int, jitter: float) -> timedelta:
        return backoff(attempts, 30.0, 300.0, lambda: jitter)

    assert wait(1, 1.0) == timedelta(seconds=30)
    assert wait(1, 0.0) == timedelta(seconds=15)  # between half of it and all of it
    assert wait(2, 1.0) == timedelta(seconds=60)
    assert wait(3, 1.0) == timedelta(seconds=120)
    assert wait(5, 1.0) == timedelta(seconds=300)  # 480, capped
    assert wait(40, 0.5) == timedelta(seconds=225)
