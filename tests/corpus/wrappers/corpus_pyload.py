"""pyLoad's web interface as ``pyload --userdir U --tempdir T --storagedir D`` builds it: its
Core makes the Flask app for its web server thread, here on a new user folder in a temporary
directory (the thread is not started: the kit serves the app itself). Its first start adds
the user pyload/pyload; alice and bob are added through pyLoad's own API, as its users
settings page adds them."""
import tempfile

from pyload.core import Core

home = tempfile.TemporaryDirectory()  # removed when the run ends
core = Core(userdir=f"{home.name}/user", tempdir=f"{home.name}/tmp", storagedir=f"{home.name}/downloads")
for name, password in (("alice", "wonderland"), ("bob", "builder")):
    core.api.add_user(name, password)
app = core.webserver.app
