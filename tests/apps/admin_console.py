"""A single-user admin console, as many small internal tools are: one account,
"admin", and a login gate that sends anonymous visitors to
``/login?next=/admin``. Its only user's name is in the URL of the redirect every
anonymous visitor gets; the kit once matched it there and said the page showed
the admin to a stranger. Profile: ``admin_console.toml`` (one user).

``leaky()`` is its broken twin: the redirect page also prints who last signed
in, so a stranger really does see the admin's name.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, session, url_for

PASSWORD = "correct horse battery staple"


def create_app(leak_last_user: bool = False) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="a8f2c4e6b0d9a7c5e3f1b9d7a5c3e1f0", SESSION_COOKIE_SECURE=True)
    last_user: list[str] = []

    @app.post("/login")
    def login() -> Any:
        if request.form.get("username") != "admin" or request.form.get("password") != PASSWORD:
            return "Incorrect username or password.", 401
        session.clear()
        session["user_id"] = "admin"
        last_user[:] = ["admin"]
        return redirect(request.args.get("next") or "/admin")

    @app.post("/logout")
    def logout() -> Any:
        session.clear()
        return redirect("/login")

    @app.get("/admin")
    def console() -> Any:
        if session.get("user_id") != "admin":
            response = redirect(url_for("login", next="/admin"))
            if leak_last_user and last_user:
                response.set_data(f"<p>Last signed in: {last_user[0]}</p>")
            return response
        return '<p class="who" title="admin">Signed in as admin</p>'

    return app


def leaky() -> Flask:
    return create_app(leak_last_user=True)
