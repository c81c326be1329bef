"""Flask-Security-Too as its quick start sets it up (Flask-SQLAlchemy, its own login, logout
and registration views, CSRF through Flask-WTF, Flask-Login underneath), in an in-memory
database. The profile registers its users through the app's own /register, which checks
e-mail addresses without asking DNS (the kit's run is offline)."""
from flask import Flask
from flask_security import Security, SQLAlchemyUserDatastore, auth_required, current_user
from flask_security.models import fsqla_v3 as fsqla
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config.update(SECRET_KEY="Hk5Rn2Vw8Tz1Mq7Lc4Xp9Bs3Fy6Jd0Ga", SECURITY_PASSWORD_SALT="146585145368132386173505678016728509634", SECURITY_PASSWORD_HASH="pbkdf2_sha512",
                  SQLALCHEMY_DATABASE_URI="sqlite://", SESSION_COOKIE_SECURE=True, SECURITY_REGISTERABLE=True, SECURITY_SEND_REGISTER_EMAIL=False, SECURITY_EMAIL_VALIDATOR_ARGS={"check_deliverability": False})
db = SQLAlchemy(app)
fsqla.FsModels.set_db_info(db)
Role = type("Role", (db.Model, fsqla.FsRoleMixin), {})
User = type("User", (db.Model, fsqla.FsUserMixin), {})
Security(app, SQLAlchemyUserDatastore(db, User, Role))
app.add_url_rule("/", "home", auth_required()(lambda: f"Hello, {current_user.email}"))
with app.app_context():
    db.create_all()
