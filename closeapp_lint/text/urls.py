"""URL analysis shared by the redirect and legal-URL rules.

Hosts are classified *before* they are validated: ``validators`` rejects
``localhost``, and a localhost redirect is "not public" (CA203), not "malformed".
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

from ..core.patterns import lazy
from ..core.records import NamedTuple

_WHITESPACE = lazy(r"\s")  # asked only of a URL with a space or an unprintable character
_RESERVED_SUFFIXES = (".localhost", ".local", ".localdomain", ".test", ".invalid", ".example", ".internal", ".home.arpa")
# Top-level domains private networks use that public DNS never answers: .corp, .home and
# .mail, which ICANN resolved never to delegate, and .lan, .intranet and .private (RFC 6762,
# Appendix G: in use on private networks, delegated to no one).
_PRIVATE_TLDS = (".corp", ".home", ".mail", ".lan", ".intranet", ".private")
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
# Public names that resolve to the loopback address by design (for local development).
_LOOPBACK_DOMAINS = ("localtest.me", "lvh.me", "vcap.me")
# Wildcard DNS services: a name that holds an IPv4 address resolves to that address
# (10.0.0.1.nip.io, app-192-168-1-5.sslip.io).
_WILDCARD_DNS = ("nip.io", "sslip.io", "xip.io")
_EMBEDDED_IPV4 = lazy(r"(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})$")


class UrlVerdict(NamedTuple):
    scheme: str  # lower-case scheme, "" when there is none
    malformed: str | None  # why the URL is not a well-formed absolute URL
    not_public: str | None  # why the host is not publicly reachable


# A template left where a URL belongs: <ENV_URL>, {{host}}, ${HOST}, {tenant}. Bounded
# lengths keep the search linear on a megabyte of brackets.
_TEMPLATE = lazy(r"<[^<>]{1,100}>|\{\{[^{}]{1,100}\}\}|\$\{[^{}]{1,100}\}|\{[^{}]{1,100}\}")
_NOT_IN_HOST_CHARACTERS = '<>{}$%\\^`|"'  # characters no host name may hold
_NOT_IN_HOST = lazy(f"[{re.escape(_NOT_IN_HOST_CHARACTERS)}]")
_WEB = ("http", "https")


def _scheme_of(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    return scheme if scheme.isalpha() else ""


@lru_cache(maxsize=256)
def analyze(url: str, *, allow_fragment: bool = False) -> UrlVerdict:
    if not url.strip():
        return UrlVerdict("", "is empty", None)
    if ("<" in url or "{" in url) and (template := _TEMPLATE.search(url)):
        return UrlVerdict(_scheme_of(url), f"holds the template placeholder {template.group(0)[:60]!r}, not a real URL; write the URL itself", None)
    # Every white-space character but the space is unprintable: most URLs are spared the search.
    if (" " in url or not url.isprintable()) and _WHITESPACE.search(url):
        return UrlVerdict(_scheme_of(url), "contains whitespace", None)
    plain = _plain_web(url)
    if plain is not None:  # nothing about its form to report: only where its host leads
        return UrlVerdict(plain[0], None, classify_host(plain[1]))
    return _parsed(url, allow_fragment=allow_fragment)


# A URL written plainly: http:// or https:// in lower case, a lower-case ASCII DNS name
# (so no user info, port or brackets), then nothing or a path and query of printable
# ASCII without a space, a # (a fragment) or a * (a wildcard).
_NOT_PLAIN = (" ", "#", "*")


def _plain_web(url: str) -> tuple[str, str] | None:
    """(scheme, host) of a URL written plainly, whose every answer from urlsplit is known
    without asking it (most URLs: urlsplit and its properties cost several times the
    rest); None for anything else, which is parsed."""
    if not url.startswith(_WEB_PREFIXES) or not url.isascii() or not url.isprintable() or any(c in url for c in _NOT_PLAIN):
        return None
    scheme, _, rest = url.partition("://")
    ends = [i for i in (rest.find("/"), rest.find("?")) if i != -1]
    host = rest[: min(ends)] if ends else rest
    return (scheme, host) if len(host) <= 253 and _simple_host(host) else None


_WEB_PREFIXES = ("https://", "http://")


def _parsed(url: str, *, allow_fragment: bool) -> UrlVerdict:
    """The verdict on a URL, from urlsplit's reading of it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return UrlVerdict("", f"cannot be parsed ({exc})", None)
    scheme = parts.scheme.lower()
    if not scheme or not parts.netloc or not url.lower().startswith(scheme + "://"):
        return UrlVerdict(scheme, "is not an absolute URL (it needs https:// and a host)", None)
    host = parts.hostname or ""
    problems = []
    if "@" in parts.netloc:
        problems.append("contains user info (user:password@)")
    if "*" in url:
        problems.append("contains a wildcard (*); Close matches redirect URLs exactly")
    if (parts.fragment or url.endswith("#")) and not allow_fragment:
        problems.append("has a #fragment, which OAuth redirect URLs must not have")
    if port == 0:
        problems.append("has port 0")
    if scheme not in _WEB:  # an app scheme (myapp://…): the scheme is the problem, not its "host"
        return UrlVerdict(scheme, "; ".join(problems) or None, None)
    if any(c in host for c in _NOT_IN_HOST_CHARACTERS) and (bad := _NOT_IN_HOST.search(host)) and ":" not in host:
        written = parts.netloc.rpartition("@")[2]  # as written, not lower-cased
        problems.append(f"has a host with a character no host name may hold ({bad.group(0)!r} in {written[:60]!r}); is it a placeholder? write the real host")
        return UrlVerdict(scheme, "; ".join(problems), None)
    not_public = classify_host(host)
    if not_public is None and "*" not in host and not _valid_public_host(host):
        problems.append(f"has an invalid host name {host[:60]!r}" if host else "has no host")
    return UrlVerdict(scheme, "; ".join(problems) or None, not_public)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not host or not (host[0].isdigit() or ":" in host):
        return None  # cheap: names never start like an address
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None if ":" in host else _browser_ipv4(host)


_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789abcdefABCDEF")


def _browser_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser reads in a host that ends in a number (WHATWG URL's
    IPv4 parser): one to four parts, each decimal, octal (a leading 0) or hexadecimal
    (0x), the last filling the bytes that remain — ``127.1``, ``0x7f000001``,
    ``2130706433`` and ``0177.0.0.1`` are all 127.0.0.1. None when it is not one (a
    browser refuses such a URL, or reads a name)."""
    parts = host.split(".")
    if len(parts) > 1 and not parts[-1]:
        parts.pop()  # one trailing dot
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            digits, base, allowed = part[2:], 16, _HEX
        elif len(part) > 1 and part[0] == "0":
            digits, base, allowed = part[1:], 8, _OCTAL
        else:
            digits, base, allowed = part, 10, _OCTAL | set("89")
        if not part or not set(digits) <= allowed or len(digits.lstrip("0")) > 12:
            return None  # an empty part, another character, or far over 32 bits
        numbers.append(int(digits, base) if digits else 0)
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known prefix: carries a public IPv4 address
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: local use, inside one network only
# Address blocks reserved for documentation and examples (RFC 5737, RFC 3849).
_DOCUMENTATION = (
    ipaddress.IPv4Network("192.0.2.0/24"),
    ipaddress.IPv4Network("198.51.100.0/24"),
    ipaddress.IPv4Network("203.0.113.0/24"),
    ipaddress.IPv6Network("2001:db8::/32"),
)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to (mapped, 6to4, Teredo, NAT64,
    IPv4-compatible), if any: it is where a connection really ends up."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    packed = int(ip)
    if ip in _NAT64 or (packed >> 32 == 0 and packed > 0xFFFF):  # NAT64, ::a.b.c.d
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def ip_not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not a public internet address, or None. An IPv6 address that
    carries an IPv4 one (NAT64, 6to4, Teredo, mapped, compatible) is judged by that."""
    for network in _DOCUMENTATION:
        if ip.version == network.version and ip in network:
            return f"a documentation address ({network}, reserved for examples; it never reaches a real server)"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return f"a local-use NAT64 address ({_LOCAL_NAT64}, reachable only inside one network)"
        inner = embedded_ipv4(ip)
        if inner is not None:
            reason = ip_not_public(inner)
            return f"an IPv6 address that carries {inner}, {reason}" if reason else None
        if ip.is_site_local:
            return "a site-local address"
    for attribute, label in (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "the unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, attribute):
            return label
    if not ip.is_global:
        return "a reserved address"
    return None


def classify_host(host: str) -> str | None:
    """Why ``host`` is not a public internet host, or None when it may be one."""
    host = host.lower().rstrip(".")
    if not host:
        return None
    ip = _ip(host)
    if ip is not None:
        reason = ip_not_public(ip)
        shown = host if ip.version == 6 or str(ip) == host else f"{host} (which browsers read as {ip})"
        return f"{shown} is {reason}" if reason else None
    if host == "localhost" or host.endswith(_RESERVED_SUFFIXES):
        return f"{host} is a local or reserved name that no one outside your machine can reach"
    if host.endswith(_PRIVATE_TLDS):
        return f"{host} is under {host[host.rfind('.') :]}, a top-level domain only private networks use; public DNS does not answer for it"
    if host in _RESERVED_DOMAINS or host.endswith(_RESERVED_DOMAIN_ENDINGS):
        return f"{host} is a reserved example domain"
    if "." not in host:
        return f"{host} is a single-label host name, reachable only inside a private network"
    return _resolves_privately(host)


def _within(host: str, domains: tuple[str, ...]) -> str | None:
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


_RESERVED_DOMAIN_ENDINGS = tuple("." + d for d in _RESERVED_DOMAINS)
_PRIVATE_BY_DESIGN = _LOOPBACK_DOMAINS + _WILDCARD_DNS  # a name within one of them ends with it


def _resolves_privately(host: str) -> str | None:
    """Why a public-looking name is, by design, answered with an address no user can
    reach: the loopback names of local development, or a wildcard-DNS name that carries
    a private address."""
    if not host.endswith(_PRIVATE_BY_DESIGN):
        return None  # most hosts: one test in C
    if _within(host, _LOOPBACK_DOMAINS):
        return f"{host} resolves to 127.0.0.1 by design (a local-development name), a loopback address"
    service = _within(host, _WILDCARD_DNS)
    if service is None:
        return None
    found = _EMBEDDED_IPV4.search(host[: -len(service)].rstrip("."))
    if found is None or any(int(part) > 255 for part in found.groups()):
        return None
    ip = ipaddress.IPv4Address(".".join(found.groups()))
    reason = ip_not_public(ip)
    return f"{host} resolves to {ip} by design ({service} answers with the address in the name), {reason}" if reason else None


def _simple_host(host: str) -> bool:
    """A plain ASCII DNS name (lower case): labels of 1–63 letters, digits and inner
    hyphens, and a top-level label of 2–63 letters. Anything else (IDNA, odd characters)
    goes to validators, which is thorough but several times slower."""
    *labels, top = host.split(".")
    if not (labels and host.isascii() and host.islower() and 2 <= len(top) <= 63 and top.isalpha()):
        return False
    for label in labels:  # a loop, not all(): this runs for every URL
        if not 0 < len(label) <= 63 or label[0] == "-" or label[-1] == "-" or not label.replace("-", "").isalnum():
            return False
    return True


def _valid_public_host(host: str) -> bool:
    host = host.rstrip(".").lower()
    if len(host) > 253 * 4:  # over DNS's limit in any encoding: no need to ask validators (slow on huge input)
        return False
    if _ip(host) is not None or (len(host) <= 253 and _simple_host(host)):
        return True
    import validators

    return bool(validators.domain(host))


def host_of(url: str) -> str:
    """The host a URL names, lower case, as written (a trailing dot kept); "" when there
    is none or the URL cannot be parsed."""
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


_CLOSE_DOMAINS = ("close.com", "close.io")  # Close's site, and its former name's


def close_site(url: str) -> str | None:
    """The host, when ``url`` leads to Close's own site (close.com, close.io or a name
    under them); None otherwise (a cheap test first: most URLs never say "close.")."""
    if "close." not in url[:4096].lower():
        return None
    host = host_of(url).rstrip(".")
    return host if _within(host, _CLOSE_DOMAINS) else None


def same_url(a: str, b: str) -> bool:
    """Whether two URLs are the same (case of scheme/host and a trailing slash aside;
    different #fragments on one page count as different documents)."""

    def norm(url: str) -> str:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return url.strip()
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}?{parts.query}#{parts.fragment}"

    return norm(a) == norm(b)
