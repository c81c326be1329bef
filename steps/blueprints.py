"""Steps for how a blueprint's hooks join the app's (H-04, H-10, H-14, H-20, H-21).

The requests go to the pages of the probe's other blueprints
(:mod:`flask_conformance.drive.probe_blueprints`), traced like every hook
request, so the order checks of :mod:`steps.hooks` apply to them. A
blueprint Flask refused to register fails the scenario that needs it,
saying what Flask raised, instead of the run.
"""

from __future__ import annotations

from pytest_bdd import parsers, then

from flask_conformance.drive.browser import explain
from flask_conformance.drive.probe_blueprints import FAMILY, MOUNTS, TWINS, refused_reason
from flask_conformance.drive.visitors import Visitors
from flask_conformance.plugin import verdicts

from .checks import broken, expect
from .hooks import HookTrace, make_traced_request
from .shared import traced_request

#: The probe's pages that render a template, by "a page of the <blueprint>".
PAGES = {
    "parent blueprint": (FAMILY, f"{MOUNTS[FAMILY]}/page"),
    "child blueprint": (FAMILY, f"{MOUNTS[FAMILY]}/child/page"),
    "twin blueprint": (TWINS[0], f"{MOUNTS[TWINS[0]]}/page"),
}
#: The twin's registrations by the names the feature gives them.
TWIN_NAMES = {"twin_a": TWINS[0], "twin_b": TWINS[1]}


def blueprint_request(
    visitors: Visitors, name: str, registration: str, page: str, query: str = ""
) -> HookTrace:
    """A traced request to a page of the probe blueprint ``registration``.

    When Flask refused to register that blueprint there is no page to ask:
    that fails here, as the finding it is.
    """
    expect_registered(
        visitors,
        registration,
        "an app registers a blueprint, nested or registered twice under another name (H-20)",
    )
    return make_traced_request(visitors, name, query, page=page)


def expect_registered(
    visitors: Visitors, registration: str, behaviour: str, note: str = ""
) -> None:
    """Fail ``behaviour`` when Flask refused to register the probe blueprint
    ``registration``; ``note`` ends the expected line (", which holds the handler")."""
    refused = refused_reason(visitors.app, registration)
    if refused is not None:
        raise broken(
            behaviour,
            f"the app to register the kit's blueprint {registration!r}{note}",
            f"Flask refused it: {refused}",
        )


def page_request(visitors: Visitors, name: str, bp: str, query: str = "") -> HookTrace:
    """A traced request to the page of "the <bp>" in the feature's words (:data:`PAGES`)."""
    registration, page = PAGES[bp]
    return blueprint_request(visitors, name, registration, page, query)


@traced_request(r"builds the URL of a page of the (?P<bp>.+)")
def build_url(visitors: Visitors, name: str, bp: str) -> HookTrace:
    to = bp.split()[0]  # "child blueprint" -> "child"
    return blueprint_request(visitors, name, FAMILY, f"{MOUNTS[FAMILY]}/link", f"to={to}")


@traced_request(r"goes to a page of the (?P<bp>.+) that builds no URL and renders no template")
def plain_page(visitors: Visitors, name: str, bp: str) -> HookTrace:
    return page_request(visitors, name, bp)


@traced_request(r"renders a template on a page of the (?P<bp>.+)")
def render_on_page(visitors: Visitors, name: str, bp: str) -> HookTrace:
    return rendered(page_request(visitors, name, bp, "render=1"))


@traced_request(r"renders a template with a value of the view's own on a page of the (?P<bp>.+)")
def render_with_own_value(visitors: Visitors, name: str, bp: str) -> HookTrace:
    return rendered(page_request(visitors, name, bp, "render=1&own=1"))


def rendered(trace: HookTrace) -> HookTrace:
    """``trace``, unless the app's own code failed the template's rendering.

    Every template of an app gets the app's own context processors, and one
    that raises (Flask-Login's, in an app without a user_loader) fails every
    render: no order of context processors can be seen then, which says
    nothing about Flask's merging of them. The scenario is not applicable,
    naming the app's function.
    """
    exchange = trace.exchange
    error = exchange.error or exchange.app_error
    if error is not None and exchange.raised_where:
        verdicts.not_applicable(
            explain(error, exchange.method, exchange.path, exchange.raised_where)
            + " No template of this app renders while that fails, so the kit cannot see "
            "which context processors a template gets; fix it to run this scenario"
        )
    return trace


@traced_request(
    r"to a page of the twin blueprint raises the error"
    r" the parent blueprint registered an app_errorhandler for"
)
def raise_app_wide_error(visitors: Visitors, name: str) -> HookTrace:
    expect_registered(
        visitors,
        FAMILY,
        "a blueprint's app_errorhandler answers its error on every page (H-21)",
        ", which holds the handler",
    )
    return blueprint_request(visitors, name, TWINS[0], f"{MOUNTS[TWINS[0]]}/fail")


@traced_request(r"goes to the page of the twin blueprint registered as (?P<twin>\w+)")
def visit_twin(visitors: Visitors, name: str, twin: str) -> HookTrace:
    registration = TWIN_NAMES[twin]
    return blueprint_request(visitors, name, registration, f"{MOUNTS[registration]}/page")


# -- what ran ----------------------------------------------------------------


@then(
    parsers.re(
        r'the page shows the value "(?P<value>[^"]+)" that the'
        r" (?:innermost context processor gave|view passed)"
    )
)
def page_shows(hook_trace: HookTrace, value: str) -> None:
    exchange = hook_trace.exchange
    expect(
        exchange.error is None and exchange.status == 200 and exchange.text == value,
        "a template gets the app's context processors, then those of the request's "
        "blueprints, outer first, and the view's own values last (H-14)",
        f"the page to show {value!r}",
        f"the app raised {exchange.error!r}"
        if exchange.error
        else f"{exchange.status} {exchange.text[:80]!r}",
        exchange,
    )


@then("the response was made by the parent blueprint's app_errorhandler")
def made_by_app_errorhandler(hook_trace: HookTrace) -> None:
    exchange = hook_trace.exchange
    expect(
        exchange.error is None
        and exchange.status == 409
        and exchange.text == "handled by the family's app_errorhandler",
        "a blueprint's app_errorhandler answers its error on every page of the app (H-21)",
        "409 'handled by the family's app_errorhandler'",
        f"the error escaped: {exchange.error!r}"
        if exchange.error
        else f"{exchange.status} {exchange.text[:80]!r}",
        exchange,
    )


@then(parsers.re(r"the page was answered by the twin blueprint registered as (?P<twin>\w+)"))
def answered_by_twin(hook_trace: HookTrace, twin: str) -> None:
    views = [call.get("registered_as") for call in hook_trace.calls("view")]
    expect(
        views == [TWIN_NAMES[twin]],
        "each registration of a blueprint registered twice answers its own pages (H-20)",
        f"the view of the registration {TWIN_NAMES[twin]!r}",
        f"views that ran: {views or 'none'}; {hook_trace.describe()}",
        hook_trace.exchange,
    )


@then(
    parsers.re(r"the twin blueprint's before_request ran once, registered as (?P<twin>\w+)")
)
def twin_before_request(hook_trace: HookTrace, twin: str) -> None:
    ran = [
        call.get("registered_as")
        for call in hook_trace.calls("before_request")
        if call["owner"] == "twin blueprint"
    ]
    expect(
        ran == [TWIN_NAMES[twin]],
        "a blueprint registered twice runs its own hooks for the pages of each "
        "registration, once (H-20)",
        f"its before_request once, for {TWIN_NAMES[twin]!r}",
        f"it ran for: {ran or 'none'}",
        hook_trace.exchange,
    )


@then("the twin blueprint's before_app_request ran once")
def twin_app_wide_once(hook_trace: HookTrace) -> None:
    ran = hook_trace.registrants("before_request").count("twin blueprint, app-wide")
    expect(
        ran == 1,
        "a blueprint registered twice adds its app-wide hooks to the app once (H-20, H-04)",
        "its before_app_request to run once",
        f"it ran {ran} times; {hook_trace.describe()}",
        hook_trace.exchange,
    )
