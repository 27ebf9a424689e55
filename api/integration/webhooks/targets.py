"""Where a webhook may be sent: the guard against server-side request forgery.

A webhook target is a URL an administrator typed, which the worker then calls from inside the
service's network: pointed at `http://169.254.169.254/` (a cloud's metadata), at `localhost` or at
an internal host, it would make Maillage a proxy into places no client may reach. So a target is
refused unless it is:

- `https://` (outside the embedded mode, where a receiver on the same machine may use `http://`);
- without userinfo (`user:password@`: credentials in a URL end up in logs);
- without any space or control character (a tab or a line break that one parser drops and another
  keeps would make the check and the sender read two addresses), with a host and a port not 0 —
  read with `httpx.URL`, as the sender reads it;
- a host whose every address is public: not loopback, private, link-local, multicast, reserved,
  unspecified or shared (CGNAT) — also when written as an IPv4-mapped, 6to4 or Teredo IPv6
  address — unless `webhook_allow_private_targets` lets a receiver on the same network in.

It is checked when a subscription is created or changed (422 naming `url`) and again at each
attempt, since what a name resolves to may change after it was accepted (the attempt then fails
with the reason, and is retried like any failure). At the attempt the host is resolved **once**,
when the worker connects (`transport`): every address is checked (`checked_addresses`) and the
connection is made to those checked addresses only, never to what a second resolution answers —
a name that answers a public address to the check and a private one to the connection (DNS
rebinding) reaches nothing it should not.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from domain.errors import InvalidValueError
from domain.wording import N_

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]  # (host, port) -> addresses
MAX_URL = 2000


class TargetRefusedError(InvalidValueError):
    """A webhook target the guard refuses; `field` is the request's field at fault."""

    rule = "webhook-target-refused"


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the system's order of preference (the system's
    resolver, which also reads `2130706433`, `0x7f.1` or `127.1` as 127.0.0.1; OSError if
    none)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _embedded(address: IPAddress) -> IPAddress | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_public(address: IPAddress) -> bool:
    """Whether `address` (and any IPv4 address it carries) is a public unicast one."""
    carried = _embedded(address)
    if carried is not None and not is_public(carried):
        return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED)
        or not address.is_global
    )


_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT


def _unsafe(char: str) -> bool:
    """A space, a control character (C0, DEL, C1) or any other white space."""
    code = ord(char)
    return code <= 0x20 or 0x7F <= code <= 0x9F or char.isspace()


@dataclass(frozen=True)
class Target:
    """What a webhook address names, read as the sender reads it."""

    scheme: str
    host: str  # IDNA-encoded, as it is resolved; an IPv6 literal without brackets
    port: int


def check_target(
    url: str,
    *,
    allow_http: bool,
    allow_private: bool,
    resolver: Resolver = resolve,
    field: str = "url",
) -> str:
    """`url` if a webhook may be sent there; `TargetRefusedError` naming `field` otherwise."""
    target = check_form(url, allow_http=allow_http, field=field)
    if not allow_private:  # allowed: a name the worker's network alone resolves is fine
        checked_addresses(
            target.host, target.port, allow_private=False, resolver=resolver, field=field
        )
    return url


def check_form(url: str, *, allow_http: bool, field: str = "url") -> Target:
    """What `url` names, if its form is one a webhook may be sent to (its host's addresses
    are not looked at); `TargetRefusedError` naming `field` otherwise."""
    if len(url) > MAX_URL:
        raise TargetRefusedError(N_("this address is too long"), field=field)
    if any(_unsafe(char) for char in url):
        # urlsplit would drop a tab or a line break silently, the sender would not: refused.
        raise TargetRefusedError(
            N_("a webhook address contains no space nor control character"), field=field
        )
    try:  # read as the sender (httpx) reads it, so both see the same host and port
        parts = httpx.URL(url)
        host = parts.raw_host.decode("ascii")  # IDNA-encoded, as it is resolved
        if not parts.host.strip("."):  # decoding it back fails on an empty label (`xn--`)
            host = ""
        port = parts.port
    except (httpx.InvalidURL, UnicodeError, ValueError, TypeError) as error:
        raise TargetRefusedError(N_("this is not a web address"), field=field) from error
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise TargetRefusedError(
            N_("a webhook is sent to an https:// address only")
            if not allow_http
            else N_("a webhook is sent to an http:// or https:// address only"),
            field=field,
        )
    if parts.userinfo:
        raise TargetRefusedError(
            N_("a webhook address carries no user name or password"), field=field
        )
    if not host or not host.strip("."):
        raise TargetRefusedError(N_("this address names no host"), field=field)
    if port is not None and not 0 < port <= 65535:
        raise TargetRefusedError(N_("this is not a web address"), field=field)
    if parts.fragment:
        raise TargetRefusedError(N_("a webhook address has no fragment (#…)"), field=field)
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default)


def checked_addresses(
    host: str,
    port: int,
    *,
    allow_private: bool,
    resolver: Resolver = resolve,
    field: str = "url",
) -> list[str]:
    """The addresses to connect to for `host`, resolved once: every one of them public (or
    `allow_private`), else `TargetRefusedError` naming the first that is not."""
    found = _addresses(host, port, resolver, field)
    if not allow_private:
        for _, address in found:
            if not is_public(address):
                raise TargetRefusedError(
                    N_(
                        "the host {host} resolves to {address}, which is not a public address "
                        "(server-side request forgery)"
                    ),
                    field=field,
                    host=host,
                    address=str(address),
                )
    return [text for text, _ in found]


def _addresses(host: str, port: int, resolver: Resolver, field: str) -> list[tuple[str, IPAddress]]:
    """(what to connect to, the address it is) for each address of `host`."""
    try:
        literal = ipaddress.ip_address(host.strip("[]").split("%")[0])
        return [(str(literal), literal)]
    except ValueError:
        pass
    try:
        found = [(a, ipaddress.ip_address(a.split("%")[0])) for a in resolver(host, port)]
    except (OSError, UnicodeError, ValueError):
        found = []
    if not found:
        raise TargetRefusedError(
            N_("the host {host} of this address does not resolve"), field=field, host=host
        )
    return found
