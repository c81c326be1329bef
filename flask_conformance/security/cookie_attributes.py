"""Judging one real ``Set-Cookie`` header the way OWASP asks (WSTG-SESS-02,
ASVS 4.0.3 3.4.x, ASVS 5.0 3.3.x).

Every rule reads the header the app actually sent, never the app's config:
what reaches the browser is what counts (an extension may set its own
cookie, a proxy may not be in the picture). Each rule answers with a
:class:`Finding`: ``passed``, ``warn`` (a risk a reviewer should weigh, such
as no SameSite) or ``fail`` (a cookie a browser would leak or drop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..drive.browser import SetCookie

#: Werkzeug warns above this many bytes of header (MAX_COOKIE_SIZE); browsers
#: silently drop cookies larger than about 4096 bytes.
MAX_COOKIE_BYTES = 4093

PASSED, WARN, FAIL = "passed", "warn", "fail"


@dataclass(frozen=True)
class Finding:
    severity: str
    message: str


def _passed(message: str) -> Finding:
    return Finding(PASSED, message)


def setting(label: str, suffix: str) -> str:
    """The config key that sets an attribute of the cookie ``label`` names."""
    prefix = "REMEMBER_COOKIE" if label.startswith("remember") else "SESSION_COOKIE"
    return f"{prefix}_{suffix}"


class _Flag(NamedTuple):
    """An attribute a session cookie must carry, and what a browser does without it.

    ``SetCookie.parse`` keys it in lower case, and Flask's setting that turns
    it on ends in upper case (SESSION_COOKIE_SECURE, ..._HTTPONLY).
    """

    name: str  #: as the header writes it
    without: str  #: what a browser does with a cookie that lacks it


_SECURE = _Flag(
    "Secure", "a browser also sends it over plain http, where anyone on the network can read it"
)
_HTTP_ONLY = _Flag("HttpOnly", "any script on the page (an XSS) can read it")


def _flag(cookie: SetCookie, label: str, wanted: _Flag) -> Finding:
    """Whether the cookie carries ``wanted``: a fail naming the setting when it does not."""
    if cookie.attributes.get(wanted.name.lower()):
        return _passed(f"the {label} is marked {wanted.name}")
    return Finding(
        FAIL,
        f"the {label} has no {wanted.name} attribute, so {wanted.without}: "
        f"set {setting(label, wanted.name.upper())} = True",
    )


def secure(cookie: SetCookie, label: str) -> Finding:
    return _flag(cookie, label, _SECURE)


def http_only(cookie: SetCookie, label: str) -> Finding:
    return _flag(cookie, label, _HTTP_ONLY)


def same_site(cookie: SetCookie, label: str) -> Finding:
    value = cookie.attributes.get("samesite")
    if value is None or value is True:
        return Finding(
            WARN,
            f"the {label} has no SameSite attribute: browsers differ in what they assume, and "
            "older ones send it with requests from every other site (CSRF); set "
            f'{setting(label, "SAMESITE")} = "Lax"',
        )
    kind = str(value).lower()
    if kind == "none" and not cookie.attributes.get("secure"):
        return Finding(
            FAIL,
            f"the {label} says SameSite=None without Secure, which browsers reject: the cookie "
            f'is dropped; use "Lax", or add {setting(label, "SECURE")} = True',
        )
    if kind == "none":
        return Finding(
            WARN,
            f"the {label} says SameSite=None, so browsers send it with requests from any site: "
            'the app must defend every form against CSRF itself; "Lax" avoids that',
        )
    if kind in ("lax", "strict"):
        return _passed(f"the {label} says SameSite={value}")
    return Finding(
        FAIL,
        f"the {label} says SameSite={value}, which is not Strict, Lax or None: browsers ignore it",
    )


def prefix(cookie: SetCookie, label: str) -> Finding:
    name = cookie.name
    if name.startswith("__Host-"):
        broken = [
            problem
            for problem, present in (
                ("no Secure", not cookie.attributes.get("secure")),
                ("a Domain", "domain" in cookie.attributes),
                ("a Path other than /", cookie.attributes.get("path") != "/"),
            )
            if present
        ]
        if broken:
            return Finding(
                FAIL,
                f"the {label} {name!r} has the __Host- prefix but {', '.join(broken)}, so "
                "browsers refuse to store it",
            )
        return _passed(f"the {label}'s name {name!r} binds it to this host")
    if name.startswith("__Secure-"):
        if not cookie.attributes.get("secure"):
            return Finding(
                FAIL,
                f"the {label} {name!r} has the __Secure- prefix but no Secure: browsers refuse it",
            )
        return Finding(
            WARN,
            f"the {label} {name!r} has the __Secure- prefix; __Host- would also keep "
            "subdomains from setting or overwriting it, unless it is shared on purpose",
        )
    return Finding(
        WARN,
        f"the {label} is named {name!r}, without the __Host- prefix that stops other "
        "subdomains and plain-http pages from planting or overwriting it: name it "
        f'"__Host-{name}" ({setting(label, "NAME")}) with Secure, Path=/ and no Domain',
    )


def scope(cookie: SetCookie, label: str, application_root: str) -> Finding:
    """Domain and Path: the cookie should go to this app only."""
    domain = cookie.attributes.get("domain")
    path = cookie.attributes.get("path")
    root = application_root.rstrip("/") or "/"
    if isinstance(domain, str) and domain:
        return Finding(
            WARN,
            f"the {label} has Domain={domain}, so browsers send it to every subdomain too: "
            f"leave {setting(label, 'DOMAIN')} unset unless the cookie is shared on purpose",
        )
    if not isinstance(path, str):
        return Finding(
            WARN, f"the {label} has no Path, so browsers scope it to the page that set it"
        )
    if root != "/" and not (path.rstrip("/") + "/").startswith(root + "/"):
        return Finding(
            WARN,
            f"the {label} has Path={path} although the app lives under {root}: set "
            f"{setting(label, 'PATH')} (or APPLICATION_ROOT) to the app's own path",
        )
    return _passed(f"the {label} is scoped to this host and Path={path}")


def size(cookie: SetCookie, label: str) -> Finding:
    length = len(cookie.raw.encode("utf-8"))
    if length > MAX_COOKIE_BYTES:
        return Finding(
            FAIL,
            f"the {label}'s Set-Cookie is {length} bytes, over the {MAX_COOKIE_BYTES} bytes "
            "browsers keep: they silently drop it and the visitor loses the session; keep "
            "large data on the server",
        )
    return _passed(f"the {label}'s Set-Cookie is {length} bytes")
