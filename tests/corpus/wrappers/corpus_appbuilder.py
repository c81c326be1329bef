"""Flask-AppBuilder as its documentation starts an app (Flask, its SQLA, AppBuilder; the
database login its skeleton's config.py chooses, and Flask-WTF's CSRFProtect on the whole app
as its security documentation recommends), in an in-memory database. Its login, logout and
user views are its own; the two users are made as ``flask fab create-admin`` makes them,
through its security manager."""
from flask import Flask
from flask_appbuilder import AppBuilder
from flask_appbuilder.models.sqla.base import SQLA
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config.update(SECRET_KEY="Qm4Tx8Lw2Rk6Zp0Vc3Ny7Bh1Jf5Gd9Sa", SQLALCHEMY_DATABASE_URI="sqlite://")
CSRFProtect(app)
db = SQLA(app)
with app.app_context():  # Flask-AppBuilder 5 is set up inside the app's context
    appbuilder = AppBuilder(app, db.session)
    for name, password in (("alice", "wonderland"), ("bob", "builder")):
        appbuilder.sm.add_user(name, name, "Liddell", f"{name}@example.com", appbuilder.sm.find_role("Admin"), password)
