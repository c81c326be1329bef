"""A home-made signed cookie whose signature can simply be left off: the cookie
is ``base64(JSON).HMAC``, and a cookie without the ``.HMAC`` part is read as a
"legacy" unsigned session. Stripping the signature and rewriting the payload
makes anyone "admin" (breaks the tampering scenarios)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

from . import SECRET_KEY


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class DetachableSignatureInterface(SessionInterface):
    def _mac(self, app: Flask, payload: str) -> str:
        key = str(app.secret_key).encode()
        return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession:
        value = request.cookies.get(self.get_cookie_name(app), "")
        payload, dot, mac = value.partition(".")
        if dot and not hmac.compare_digest(mac, self._mac(app, payload)):
            return SecureCookieSession()
        try:  # the bug: no dot, no check ("legacy cookies")
            data = json.loads(_unb64(payload)) if payload else {}
        except (binascii.Error, ValueError):
            return SecureCookieSession()
        return SecureCookieSession(data if isinstance(data, dict) else {})

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        name, path = self.get_cookie_name(app), self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, path=path)
            return
        if not self.should_set_cookie(app, session):
            return
        payload = _b64(json.dumps(dict(session)).encode())
        response.set_cookie(name, f"{payload}.{self._mac(app, payload)}", httponly=True, path=path)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET_KEY
    app.session_interface = DetachableSignatureInterface()
    return app
