"""Flask-Security-Too's own login and logout views (its JSON login, CSRF through Flask-WTF,
Flask-Login underneath) on Flask-SQLAlchemy, as its quick start sets it up, in an in-memory
database. Users: alice@example.com/wonderland-42, bob@example.com/builder-42."""
from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore, auth_required, current_user, hash_password
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

USERS = {"alice@example.com": "wonderland-42", "bob@example.com": "builder-42"}
db = SQLAlchemy()
fsqla.FsModels.set_db_info(db)
Role = type("Role", (db.Model, fsqla.FsRoleMixin), {})
User = type("User", (db.Model, fsqla.FsUserMixin), {})


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="Hk5Rn2Vw8Tz1Mq7Lc4Xp9Bs3Fy6Jd0Ga", SECURITY_PASSWORD_SALT="146585145368132386173505678016728509634",
                      SECURITY_PASSWORD_HASH="pbkdf2_sha512", SQLALCHEMY_DATABASE_URI="sqlite://", SESSION_COOKIE_SECURE=True)
    db.init_app(app)
    security = Security(app, SQLAlchemyUserDatastore(db, User, Role))
    app.add_url_rule("/", "home", auth_required()(lambda: f"Hello, {current_user.email}"))
    with app.app_context():
        db.create_all()
        for email, password in USERS.items():
            security.datastore.create_user(email=email, password=hash_password(password))
        db.session.commit()
    return app
