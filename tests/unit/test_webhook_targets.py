"""The guard on webhook targets (server-side request forgery), and the retry schedule."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from api.integration.webhooks.outbox import backoff
from api.integration.webhooks.targets import TargetRefusedError, check_target, resolve
from api.integration.webhooks.worker import http_client
from api.settings import Settings
from tests.webhook_receivers import FakeDNS, Network

DNS = FakeDNS(
    {
        "intranet.example.org": ["10.1.2.3"],
        "dual.example.org": ["93.184.215.14", "192.168.1.9"],
        "v6.example.org": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        "xn--bcher-kva.example": ["93.184.215.14"],  # bücher.example, as it is resolved
        "hooks.example.org.": ["93.184.215.14"],
        "intranet.example.org.": ["10.1.2.3"],
        "nat64.example.org": ["64:ff9b::a00:1"],  # 10.0.0.1 through a NAT64 gateway
    }
)


def check(url: str, *, allow_http: bool = False, allow_private: bool = False) -> str:
    return check_target(url, allow_http=allow_http, allow_private=allow_private, resolver=DNS)


def test_a_public_https_target_is_accepted() -> None:
    assert (
        check("https://hooks.example.org/maillage?x=1") == "https://hooks.example.org/maillage?x=1"
    )
    assert check("https://v6.example.org:8443/in")
    assert check("https://93.184.215.14/in")
    assert check("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/in")  # an IPv6 literal
    assert check("https://bücher.example/in")  # IDN: resolved as xn--bcher-kva.example
    assert check("https://hooks.example.org./in")  # a trailing dot: the same name, absolute


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
        ("https://intranet.example.org./", "10.1.2.3"),  # the trailing dot changes nothing
        ("https://nat64.example.org/", "64:ff9b::a00:1"),
        ("https://[::ffff:127.0.0.1]:8443/", "::ffff:7f00:1"),
        ("https://[::127.0.0.1]/", "::7f00:1"),  # IPv4-compatible (deprecated) loopback
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


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://2130706433/", "127.0.0.1"),  # a decimal IPv4 address
        ("https://0x7f000001/", "127.0.0.1"),  # hexadecimal
        ("https://017700000001/", "127.0.0.1"),  # octal
        ("https://127.1/", "127.0.0.1"),  # shortened
        ("https://0/", "0.0.0.0"),
        ("https://0x7f.1:8443/in", "127.0.0.1"),
    ],
)
def test_an_address_the_system_reads_as_loopback_is_refused(url: str, address: str) -> None:
    """The system's resolver reads these as IPv4 addresses (inet_aton), without any DNS: the
    guard checks what the system would connect to."""
    with pytest.raises(TargetRefusedError) as refused:
        check_target(url, allow_http=False, allow_private=False, resolver=resolve)
    assert f"resolves to {address}," in refused.value.message


@pytest.mark.parametrize(
    "url", ["https://localhost./", "https://LOCALHOST/", "https://127.0.0.1./"]
)
def test_localhost_in_any_spelling_is_refused(url: str) -> None:
    """Whether the system resolves it to loopback or not at all, it is not a target."""
    with pytest.raises(TargetRefusedError):
        check_target(url, allow_http=False, allow_private=False, resolver=resolve)


def _send(url: str, dns: FakeDNS, network: Network, *, allow_private: bool = False) -> None:
    settings = Settings(webhook_allow_private_targets=allow_private)
    with http_client(settings, resolver=dns, network=network) as client:
        client.post(url, content=b"{}")


@pytest.mark.parametrize(
    ("url", "asked", "connected"),
    [
        ("https://bücher.example/in", ["xn--bcher-kva.example"], ("93.184.215.14", 443)),
        ("https://hooks.example.org:8443/in", ["hooks.example.org"], ("93.184.215.14", 8443)),
        ("http://hooks.example.org./in", ["hooks.example.org."], ("93.184.215.14", 80)),
        (
            "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:8443/in",
            [],  # a literal: nothing to resolve
            ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 8443),
        ),
    ],
)
def test_the_client_connects_to_the_address_it_resolved_and_checked(
    url: str, asked: list[str], connected: tuple[str, int]
) -> None:
    rebinding = {host: ["127.0.0.1"] for host in DNS.answers}
    dns, network = FakeDNS(dict(DNS.answers), then=rebinding), Network()
    with pytest.raises(httpx.ConnectError):  # the public host is out of reach
        _send(url, dns, network)
    assert dns.asked == asked  # once
    assert network.asked == [connected]


@pytest.mark.parametrize(
    "url",
    [
        "https://2130706433/",
        "https://[::ffff:127.0.0.1]/",
        "https://intranet.example.org/",
        "https://dual.example.org/",  # one private address among public ones
    ],
)
def test_the_client_connects_nowhere_a_check_refuses(url: str) -> None:
    network = Network()
    dns = FakeDNS(dict(DNS.answers))
    resolver = resolve if url == "https://2130706433/" else dns
    settings = Settings(webhook_allow_private_targets=False)
    client = http_client(settings, resolver=resolver, network=network)
    with client, pytest.raises(TargetRefusedError, match="not a public address"):
        client.post(url, content=b"{}")
    assert network.asked == []


def test_every_checked_address_is_tried_in_turn() -> None:
    dns, network = FakeDNS({"two.example.org": ["93.184.215.14", "93.184.215.15"]}), Network()
    with pytest.raises(httpx.ConnectError):
        _send("https://two.example.org/", dns, network)
    assert network.asked == [("93.184.215.14", 443), ("93.184.215.15", 443)]
