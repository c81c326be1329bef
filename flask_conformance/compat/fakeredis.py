"""fakeredis' internals the kit reaches: the server a connection talks to.

fakeredis keeps the ``FakeServer`` behind a connection in its private
``_server`` attribute (its connection class has moved between versions, and
redis' ``Connection`` type does not declare it). The store-outage specs take
that server down (:mod:`flask_conformance.drive.store_outage`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from fakeredis import FakeServer

#: The attribute of a fakeredis connection that holds its server.
SERVER_ATTRIBUTE = "_server"


def server_of(connection: Any) -> FakeServer:
    """The FakeServer a fakeredis connection talks to."""
    return cast("FakeServer", getattr(connection, SERVER_ATTRIBUTE))
