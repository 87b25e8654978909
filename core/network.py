"""The client's address as the application sees it, also behind reverse proxies (issue 17).

Behind nginx every request arrives from the proxy's address. Taken at face value, that would make every user
share one address: a few wrong passwords from anywhere would lock a colleague out (django-axes locks a user name
*and* an address), and the audit log would name the proxy instead of the person's machine. The address the
proxy saw is in ``X-Forwarded-For``, but a client can write anything there, so the header is believed only as
far as it was written by proxies the deployment names in ``DJANGO_TRUSTED_PROXIES``.

One function serves django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit log, so that a lock and the audit
entries of the same sign-in always name the same address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``settings.TRUSTED_PROXIES`` (addresses or CIDR networks)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _parse(text: str) -> Address | None:
    """An address written by a proxy or a server, or None when it is not one. Ports ("192.0.2.1:5100",
    "[2001:db8::1]:443") are dropped, as some load balancers add them; an IPv4 address mapped into IPv6
    (``::ffff:192.0.2.1``, from a dual-stack listener) is read as the IPv4 address it carries."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent ``request``.

    ``REMOTE_ADDR`` (the direct peer), unless that peer is a trusted proxy: then ``X-Forwarded-For`` is read
    from the right, where each trusted proxy appended the address it received the request from, skipping the
    trusted proxies; the first address that is not one is the client. Everything left of it was written by the
    client or by proxies nobody vouches for, and is ignored: this is what keeps a forged header from choosing
    the address a lock or an audit entry is filed under. A hop that is not an address ends the walk at the last
    proxy that is known; when every hop is a trusted proxy, the furthest one is the client.
    """
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxies()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
