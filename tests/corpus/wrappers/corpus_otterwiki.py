"""An Otter Wiki configured as its installation guide configures it, through environment
variables: a new git repository for the pages in a temporary folder (the database stays
otterwiki's default, in memory), the deployer's own secret key, and pages readable by
registered users only. The two users are saved as its own /-/register saves them, already
confirmed and approved (the kit's run sends no e-mail), named by their e-mail addresses
(the name the settings page shows)."""
import os
import tempfile
from datetime import datetime

from otterwiki.gitstorage import GitStorage

pages = tempfile.TemporaryDirectory()  # removed when the run ends
os.environ.update(REPOSITORY=GitStorage(pages.name, initialize=True).path, SECRET_KEY="Wn3Kc8Tq1Zr6Lm0Xv5Bp9Hd2Jy7Fs4Ga", READ_ACCESS="REGISTERED")
# otterwiki reads its settings as it is imported, so its imports come after them; and
# otterwiki.server must come first: otterwiki.models imported first is a circular import
# (NameError), so the sorted order ruff's I001 asks for would break the app.
from otterwiki.server import app, db  # noqa: I001
from otterwiki.models import User
from werkzeug.security import generate_password_hash

with app.app_context():
    for email, password in (("alice@example.com", "wonderland"), ("bob@example.com", "builder")):
        db.session.add(User(name=email, email=email, password_hash=generate_password_hash(password), is_approved=True, email_confirmed=True, allow_read=True, first_seen=datetime.now(), last_seen=datetime.now()))
    db.session.commit()
