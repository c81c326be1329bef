"""A correct app behind Flask-Talisman's defaults: every http request is sent
to https, and the session cookie is Secure.

Talisman's ``force_https`` before_request also sets ``SESSION_COOKIE_SECURE =
True`` in the app's config on every request (unless the app runs in debug
mode). So when the kit sets it to False for a scenario about that setting,
the app puts its own back before the cookie is written: the scenario does not
apply. The extension is written out here, as Talisman's code does it, so the
kit's tests need no extra package.

- ``create_app()``: Flask's signed cookie; ``create_app(store="redis")``:
  Flask-Session over Redis (fakeredis), where the kit failed CK-06 because
  its cookie was Secure after all;
- ``create_app(talisman=True)``: the real Flask-Talisman, with its defaults;
- ``create_app(broken=True)``: a session interface that writes HttpOnly
  whatever ``SESSION_COOKIE_HTTPONLY`` says, a setting the hook leaves alone,
  so CK-03 still fails on it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, redirect, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from . import SECRET_KEY, add_dashboard, add_logout


def force_https(app: Flask) -> None:
    """Flask-Talisman's ``_force_https`` and a header of its ``_set_response_headers``."""

    @app.before_request
    def redirect_to_https() -> Any:
        if not app.debug:
            app.config["SESSION_COOKIE_SECURE"] = True
        secure = request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"
        if not (app.debug or secure) and request.url.startswith("http://"):
            return redirect(request.url.replace("http://", "https://", 1), code=302)
        return None

    @app.after_request
    def strict_transport_security(response: Response) -> Response:
        response.headers["Strict-Transport-Security"] = "max-age=31556926; includeSubDomains"
        return response


class AlwaysHttpOnly(SecureCookieSessionInterface):
    """Adds HttpOnly to the cookie it wrote, whatever the config says."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        super().save_session(app, session, response)
        cookies = response.headers.getlist("Set-Cookie")
        response.headers.remove("Set-Cookie")
        for cookie in cookies:
            httponly = "httponly" in cookie.lower()
            response.headers.add("Set-Cookie", cookie if httponly else f"{cookie}; HttpOnly")


def create_app(talisman: bool = False, store: str = "cookie", broken: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SESSION_COOKIE_SAMESITE="Lax")
    if store == "redis":
        import fakeredis
        from flask_session import Session

        app.config.update(
            SESSION_TYPE="redis", SESSION_REDIS=fakeredis.FakeRedis(), SESSION_PERMANENT=False
        )
        Session(app)
    if broken:
        app.session_interface = AlwaysHttpOnly()
    if talisman:
        from flask_talisman import Talisman

        Talisman(app)
    else:
        force_https(app)

    @app.get("/")
    def index() -> Any:
        return "Hello"

    add_dashboard(app)
    add_logout(app)
    return app
