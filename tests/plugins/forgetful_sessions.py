"""Break Flask's cookie sessions the way a broken Flask would: nothing is ever saved.

Loaded with ``-p tests.plugins.forgetful_sessions``. It replaces
``SecureCookieSessionInterface.save_session`` with one that writes no cookie
(what removing its ``response.set_cookie(...)`` call does) when pytest
imports the plugin, before the kit loads the app. A login then never lasts, which the kit must report as the
app's defect (named failing scenarios), not refuse as a profile that does not
fit.
"""

from __future__ import annotations

from typing import Any

from flask.sessions import SecureCookieSessionInterface


def _save_nothing(self: SecureCookieSessionInterface, *args: Any, **kwargs: Any) -> None:
    return None


SecureCookieSessionInterface.save_session = _save_nothing  # type: ignore[method-assign]
