"""Steps for what Flask closes when a request ends (H-18).

The probe keeps the uploaded file's stream past its request
(:func:`flask_conformance.drive.probe._add_upload_views`) and says whether it was
open in the view and in the app-wide teardown_request, and whether it is
closed now.
"""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then, when

from flask_conformance.drive.visitors import Visitors

from .checks import expect
from .shared import one_of

#: How a feature says the view ended, as the probe's ``then`` option.
VIEW_ENDINGS = {
    "answers": "answer",
    "aborts with 403": "abort",
    "raises an error that nothing handles": "raise",
}


def upload_seen(visitors: Visitors, name: str) -> dict[str, Any]:
    """What the probe saw of the file it kept as ``name``; a view that never
    got it fails here, saying so."""
    kept = visitors[name].kept_upload(name)
    expect(
        kept["seen"],
        "a file uploaded with a request reaches the view in request.files",
        "the probe's view to have received the file",
        "the view never got it",
        visitors.log[-2:],
    )
    return kept


@when(
    parsers.re(r"(?P<name>\w+) uploads a file to a view that (?P<ends>.+)"),
    target_fixture="uploader",
)
def upload_a_file(visitors: Visitors, name: str, ends: str) -> str:
    visitors[name].upload(name, then=VIEW_ENDINGS[ends])
    return name


#: The checks that read one yes-or-no of what the probe saw of the file, by the
#: step's words: what the probe says, the behaviour, what was expected, and
#: what a "no" means.
SEEN_OF_THE_FILE = {
    "the view could read the file": (
        "open_in_view",
        "an uploaded file is open, with its content, while the view runs",
        "the view to read the file's content",
        "the file was closed or empty in the view",
    ),
    "the file is closed now that the request has ended": (
        "closed_now",
        "Flask closes a request's uploaded files when the request ends (H-18)",
        "the file kept from the request to be closed",
        "it is still open after its request ended: request.close() was not called",
    ),
}


@then(parsers.re(one_of("check", SEEN_OF_THE_FILE)))
def file_seen_as_stated(visitors: Visitors, uploader: str, check: str) -> None:
    seen, behaviour, wanted, otherwise = SEEN_OF_THE_FILE[check]
    kept = upload_seen(visitors, uploader)
    expect(kept[seen], behaviour, wanted, otherwise, visitors.log[-2:])


@then("the file was still open when the teardown_request functions ran")
def file_open_in_teardown(visitors: Visitors, uploader: str) -> None:
    kept = upload_seen(visitors, uploader)
    found = {None: "the app-wide teardown_request never ran", False: "it was already closed"}
    expect(
        kept["open_in_teardown"] is True,
        "Flask closes a request's files only after its teardown_request functions ran (H-18)",
        "the file to be open in the app-wide teardown_request, the last one to run",
        found.get(kept["open_in_teardown"], "it was open"),
        visitors.log[-2:],
    )
