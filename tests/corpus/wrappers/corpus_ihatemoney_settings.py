"""The settings file a deployer of ihatemoney writes (its conf-templates/ihatemoney.cfg.j2,
given as ``create_app("corpus_ihatemoney_settings")``): a new database in a temporary
folder, their own secret key. Everything else is ihatemoney's default
(``SESSION_COOKIE_SECURE = True``)."""
import os
import tempfile

SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "ihatemoney.db")
SECRET_KEY = "Zr7Wd2Kq9Lm4Xt1Vb6Ns3Hp8Fc5Jg0Ya"
ACTIVATE_DEMO_PROJECT = False


def seed(app) -> None:
    """The projects (ihatemoney's "users": an identifier and a private code), as its own
    ``/create`` form saves them, without the e-mail the form would send."""
    from ihatemoney.models import LoggingMode, Project, db
    from werkzeug.security import generate_password_hash

    with app.app_context():
        for name, code in (("alice", "wonderland"), ("bob", "builder")):
            db.session.add(Project(id=name, name=name, password=generate_password_hash(code),
                                   contact_email=f"{name}@example.com", default_currency="XXX",
                                   logging_preference=LoggingMode.default()))
        db.session.commit()
