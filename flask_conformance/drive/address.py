"""Where the kit's browsers reach the app: the host and the path it is served at.

A browser visits an app at the address it is deployed at, and production apps
say where that is. ``SERVER_NAME = "example.com"`` makes Flask before 3.1 (and
3.1 with ``subdomain_matching``) answer 404 to every other host;
``SESSION_COOKIE_DOMAIN = ".example.com"`` gives a cookie that a browser on
``localhost`` refuses to keep; ``APPLICATION_ROOT = "/app"`` scopes the
session cookie to ``/app``, which a browser sends only under that path. Driven
at ``https://localhost/``, each of these correct apps would look as if its
sessions did not work at all. So the kit drives the app where it says it is
served: always over https, at its ``SERVER_NAME`` (else the domain its session
cookie is for), with ``APPLICATION_ROOT`` as the path the server mounts it
under (the ``SCRIPT_NAME`` a WSGI server or a proxy's ``X-Forwarded-Prefix``
gives it). The verdicts still come from what the app does over HTTP there.

The address is found once, when the kit installs its probe, and kept for the
run: a scenario that changes ``APPLICATION_ROOT`` to see the cookie follow it
does not move the browsers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Flask

#: Where apps that say nothing about where they are served are reached.
DEFAULT_HOST = "localhost"
#: Where the address is kept, in ``app.extensions``.
EXTENSION_KEY = "flask_conformance.address"


@dataclass(frozen=True)
class Address:
    """The scheme-less origin and mount path a browser uses for the app."""

    host: str = DEFAULT_HOST
    #: The path the app is mounted under, without a trailing slash ("" at the root).
    root: str = ""
    #: Why the kit chose this address, in words ("" for the default).
    reason: str = ""
    #: True when the app's own middleware (a DispatcherMiddleware in
    #: ``app.wsgi_app``) takes ``root`` off the path; else the server does.
    mounted_by_app: bool = False

    def client_args(self, path: str) -> tuple[str, str]:
        """The path and ``base_url`` the test client is given for the app's ``path``.

        A server that mounts the app gives it ``root`` as ``SCRIPT_NAME``; the
        app's own DispatcherMiddleware wants the whole path, and splits it.
        """
        if self.mounted_by_app:
            return self.root + path, f"https://{self.host}"
        return path, self.base_url

    @property
    def base_url(self) -> str:
        """``https://host/root``: what the test client takes as ``base_url``."""
        return f"https://{self.host}{self.root}"

    @property
    def hostname(self) -> str:
        """The host without its port, as URL maps and cookie jars match it."""
        return urlsplit(f"//{self.host}").hostname or DEFAULT_HOST

    def app_path(self, location: str, current: str | None = None) -> str | None:
        """``location`` (a redirect's target) as a path of the app, or None if it leaves.

        ``url_for`` writes the mount path into every URL (``/app/login``);
        the kit asks for pages by the app's own paths (``/login``).
        """
        base = current or self.base_url + "/"
        target = urlsplit(urljoin(base, location))
        if target.netloc and target.netloc != self.host:
            return None
        path = target.path or "/"
        if self.root:
            if path != self.root and not path.startswith(self.root + "/"):
                return None
            path = path[len(self.root) :] or "/"
        return path + (f"?{target.query}" if target.query else "")


def find_address(app: Flask) -> Address:
    """Where ``app`` says it is served, from its config and URL map."""
    host, reasons = _host(app)
    mount = _own_mount(app)
    if mount is not None:
        reasons.append(f"app.wsgi_app mounts it at {mount!r} (DispatcherMiddleware)")
        return Address(host=host, root=mount, reason="; ".join(reasons), mounted_by_app=True)
    root = str(app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    if root:
        reasons.append(f"APPLICATION_ROOT = {app.config['APPLICATION_ROOT']!r}")
    return Address(host=host, root=root, reason="; ".join(reasons))


def _own_mount(app: Flask) -> str | None:
    """The prefix a DispatcherMiddleware in ``app.wsgi_app`` serves the app itself at.

    Flask's docs deploy an app under a prefix with
    ``app.wsgi_app = DispatcherMiddleware(fallback, {"/app": app.wsgi_app})``:
    requests outside the prefix never reach the app.
    """
    mounts = getattr(app.wsgi_app, "mounts", None)
    if not isinstance(mounts, dict):
        return None
    for prefix, mounted in mounts.items():
        if getattr(mounted, "__self__", None) is app and isinstance(prefix, str):
            return prefix.rstrip("/") or None
    return None


def _host(app: Flask) -> tuple[str, list[str]]:
    server_name = app.config.get("SERVER_NAME")
    if server_name:
        return str(server_name), [f"SERVER_NAME = {server_name!r}"]
    if app.url_map.host_matching:
        hosts = Counter(
            rule.host for rule in app.url_map.iter_rules() if rule.host and rule.endpoint != "static"
        )
        if hosts:
            host = hosts.most_common(1)[0][0]
            return host, [f"host_matching, and most of its routes are on {host!r}"]
    domain = str(app.config.get("SESSION_COOKIE_DOMAIN") or "").lstrip(".")
    if domain and domain != DEFAULT_HOST:
        return domain, [f"SESSION_COOKIE_DOMAIN = {app.config['SESSION_COOKIE_DOMAIN']!r}"]
    return DEFAULT_HOST, []


def remember_address(app: Flask) -> Address:
    """Find ``app``'s address once and keep it for the run."""
    if EXTENSION_KEY not in app.extensions:
        app.extensions[EXTENSION_KEY] = find_address(app)
    return address_of(app)


def address_of(app: Any) -> Address:
    """The address the kit found for ``app``; the default for the apps the kit builds."""
    extensions = getattr(app, "extensions", {})
    address: Address = extensions.get(EXTENSION_KEY) or Address()
    return address


@contextmanager
def rules_on_the_apps_host(app: Flask) -> Iterator[None]:
    """Give the rules the kit adds to ``app`` meanwhile the app's host.

    Under ``host_matching`` a rule without a host is reachable on no host
    (blueprints cannot name one), so the kit's probe pages take the host the
    kit drives the app at. Other apps are left as they are.
    """
    if not app.url_map.host_matching:
        yield
        return
    host = address_of(app).host
    own = vars(app).get("url_rule_class")
    make_rule = app.url_rule_class

    def rule_on_host(string: str, **options: Any) -> Any:
        options["host"] = options.get("host") or host
        return make_rule(string, **options)

    app.url_rule_class = rule_on_host  # type: ignore[assignment]
    try:
        yield
    finally:
        if own is None:
            del app.url_rule_class
        else:
            app.url_rule_class = own
