"""A JSON API with Flask-Login: POST /api/login takes ``{"username", "password"}`` and
answers JSON, every error (a catch-all ``errorhandler(Exception)``) is JSON too.
Users: alice/wonderland, bob/builder."""
from flask import Flask, jsonify, request
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from werkzeug.exceptions import HTTPException

USERS = {"alice": "wonderland", "bob": "builder"}


class User(UserMixin):
    def __init__(self, name: str) -> None:
        self.id = name


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="Lp4Xz9Wq2Nv7Bm1Tr6Ys3Kh8Dc5Gf0Ja", SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")
    login = LoginManager(app)
    login.user_loader(lambda name: User(name) if name in USERS else None)
    login.unauthorized_handler(lambda: (jsonify(error="login required"), 401))

    @app.errorhandler(Exception)
    def as_json(error):
        code = error.code if isinstance(error, HTTPException) else 500
        return jsonify(error=str(error)), code

    @app.post("/api/login")
    def api_login():
        body = request.get_json(silent=True) or {}
        if USERS.get(body.get("username")) != body.get("password"):
            return jsonify(error="wrong username or password"), 401
        login_user(User(body["username"]))
        return jsonify(user=body["username"])

    app.add_url_rule("/api/logout", "logout", lambda: (logout_user(), jsonify(ok=True))[1], methods=["POST"])
    app.add_url_rule("/api/me", "me", login_required(lambda: jsonify(user=current_user.id)))
    return app
