"""Calibre-Web as its ``cps -p SETTINGS`` command starts it (its ``main()``: the app, its
blueprints and error handlers, a new settings database in a temporary folder, its default
user admin/admin123), without serving it: the kit serves the app itself. No Calibre library
is configured, so every page sends the admin to the library settings (/admin/dbconfig). Its
login limit (3 a minute) is lifted for the kit's run, as its "Limit failed login attempts"
setting does."""
import os
import sys
import tempfile

import calibreweb  # noqa: F401  puts its cps package on sys.path, as its cps command does

sys.argv[1:] = ["-p", os.path.join(tempfile.mkdtemp(), "app.db")]
# cps reads its command line as it builds the app, so its imports come after it.
import cps
from cps import main

cps.web_server.start = lambda: True  # main() ends by serving the app: the kit does that
try:
    main.main()
except SystemExit:  # main() exits with what start() returned
    pass
cps.limiter.enabled = False
app = cps.app
