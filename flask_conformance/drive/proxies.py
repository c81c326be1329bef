"""The object behind one of Flask's context proxies (``g``, ``request``, ``session``, ...).

Flask declares its proxies with the type of the object they stand for, so that
an app's code type-checks; at run time they are Werkzeug ``LocalProxy``
objects. Where the kit needs the object itself (to compare identities across
contexts, to push a context again, or to read ``vars()`` without going through
the proxy, which since Flask 3.1.3 counts as using the session) it asks the
proxy with Werkzeug's documented ``_get_current_object()``, in this one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy

T = TypeVar("T")


def current_object(proxy: T) -> T:
    """The object ``proxy`` stands for in the current context."""
    return cast("LocalProxy[T]", proxy)._get_current_object()
