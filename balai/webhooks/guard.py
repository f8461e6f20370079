"""No SSRF: a webhook goes only to a public address, checked when the
subscription is made and again, on the resolved address itself, when sent.

A name is resolved and every address it gives must be public; the sender then
connects to exactly those checked addresses (aiohttp takes them from the
resolver below), so a name that answers differently a second later (DNS
rebinding) cannot turn a check into a request to the inside. Refused:
loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
(169.254/16 with the cloud metadata address, fe80::/10), CGNAT (100.64/10),
multicast, unspecified, reserved and documentation ranges, and IPv4 addresses
hidden in IPv6 (::ffff:127.0.0.1). BALAI_WEBHOOKS_ALLOW_PRIVATE lets a regency
deliver to its own network (and tests to a receiver on loopback).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from django.conf import settings


class Refused(Exception):
    """The target is not a public address (or not a usable URL)."""


def private_allowed() -> bool:
    return bool(getattr(settings, "BALAI_WEBHOOKS_ALLOW_PRIVATE", False))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and not is_public(str(inner)):
            return False
    return ip.is_global and not ip.is_multicast


def check_address(address: str) -> None:
    if not private_allowed() and not is_public(address):
        raise Refused(f"not a public address: {address}")


def check_url(url: str) -> tuple[str, int]:
    """(host, port) of a usable URL; an IP literal host is checked here."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Refused("not an http(s) URL")
    if parts.scheme == "http" and not private_allowed():
        raise Refused("only https")
    if parts.username or parts.password:
        raise Refused("no credentials in the URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused("bad port") from error
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host, port
    check_address(host)
    return host, port


def resolve(host: str, port: int) -> list[str]:
    """Every address of `host`, each checked (one bad address refuses the name)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"cannot resolve {host}") from error
    addresses = sorted({str(info[4][0]) for info in infos})
    for address in addresses:
        check_address(address)
    return addresses


def check_target(url: str) -> None:
    """At subscription time: the URL is well formed and resolves to public addresses."""
    host, port = check_url(url)
    resolve(host, port)


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, refusing names with a non-public address; aiohttp then
    connects to the addresses returned here and no others."""

    def __init__(self) -> None:
        self._resolver = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            found = await self._resolver.resolve(host, port, family)
        except OSError as error:
            raise Refused(f"cannot resolve {host}") from error
        for result in found:
            check_address(result["host"])
        return found

    async def close(self) -> None:
        await self._resolver.close()
