"""Steps for a request's own contexts used again: pushed again inside the
request (CX-05), or handed to a job that runs after the response (G-14)
(features/context/lifecycle.feature).

They live apart from :mod:`steps.lifecycle`, whose steps push fresh contexts
from the test's side: here the contexts are the request's, and the question is
whether they stay intact while something else holds them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from pytest_bdd import parsers, then, when

from flask_conformance.drive.probe import PREFIX
from flask_conformance.drive.probe_g_views import run_job
from flask_conformance.drive.visitors import Visitors

from .checks import expect
from .hooks import HookTrace

# -- pushing the request's own contexts again (CX-05) -----------------------


@then("the request's teardown functions ran once each, after its after_request functions")
def teardowns_once_at_end(hook_trace: HookTrace) -> None:
    hooks = [hook for hook, _ in hook_trace.steps()]
    teardowns = [i for i, hook in enumerate(hooks) if hook.startswith("teardown")]
    last_after = max((i for i, hook in enumerate(hooks) if hook == "after_request"), default=-1)
    expect(
        "reentered" in hooks
        and len(teardowns) == 4
        and all(i > last_after for i in teardowns)
        and last_after >= 0,
        "a context pushed again while it is active is only torn down when its first push"
        " is popped, at the end of the request (CX-05)",
        "reentered -> ... after_request -> teardown_request (child, parent, app) ->"
        " teardown_appcontext, each teardown once",
        hook_trace.describe(),
        hook_trace.exchange,
    )


@then("the request was still intact in the view once it had left them")
def request_intact(hook_trace: HookTrace) -> None:
    left = hook_trace.calls("left again")
    expect(
        bool(left) and all(event.get("request_intact") for event in left),
        "leaving a context pushed again leaves the request as it was: Flask only clears it"
        " when the request's own context is popped (CX-05)",
        "the request still attached to its WSGI environ after the inner contexts ended",
        "it was detached" if left else "the view did not get past the inner contexts",
        hook_trace.exchange,
    )


# -- a job that keeps the request (G-14) ------------------------------------


@when(
    parsers.re(
        r'(?P<name>\w+)\'s request stores "(?P<value>[^"]*)" under "(?P<key>\w+)" in the session'
        r" and hands over a job with (?P<how>\S+)"
    ),
    target_fixture="job_id",
)
def hand_over_job(visitors: Visitors, name: str, value: str, key: str, how: str) -> str:
    return visitors[name].hand_over_job(how, key, value)


@when("the job runs in a thread of its own after the response", target_fixture="job_saw")
def job_runs(app_under_test: Flask, job_id: str) -> dict[str, Any]:
    return run_job(app_under_test, job_id)


def expect_job_ran(visitors: Visitors, job_saw: dict[str, Any]) -> None:
    expect(
        "raised" not in job_saw,
        "a job handed over with copy_current_request_context or a copied request context"
        " runs later inside that request's context (G-14)",
        "the job to run and report what it saw",
        f"the job raised {job_saw.get('raised')}",
        visitors.last_response,
    )


@then(parsers.re(r"the job saw (?P<name>\w+)'s request, the very request object"))
def job_saw_request(visitors: Visitors, job_saw: dict[str, Any], name: str) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["request_context"]
        and job_saw["same_request"]
        and job_saw["path"] == f"{PREFIX}/job",
        "a copied request context carries the request object itself (G-14)",
        f"the request for {PREFIX}/job, the same object",
        f"the request for {job_saw['path']}"
        + ("" if job_saw["same_request"] else ", another request object"),
        visitors.last_response,
    )


@then(
    parsers.re(
        r'the job saw the request\'s own session object, holding "(?P<value>[^"]*)"'
        r' under "(?P<key>\w+)"'
    )
)
def job_saw_session(visitors: Visitors, job_saw: dict[str, Any], value: str, key: str) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["same_session"] and job_saw["value"] == value,
        "a copied request context carries the request's session object, with what the request"
        " put in it, not a session reloaded from the cookie (G-14)",
        f"the request's session object, holding {value!r} under {key!r}",
        f"{'the same' if job_saw['same_session'] else 'another'} session object, holding"
        f" {job_saw['value']!r} under {key!r}",
        visitors.last_response,
    )


@then("the job's g did not hold what the request put on g")
def job_has_own_g(visitors: Visitors, job_saw: dict[str, Any]) -> None:
    expect_job_ran(visitors, job_saw)
    expect(
        job_saw["request_g"] is None,
        "a copied request context pushed in another thread gets an app context, and a g, of"
        " its own (G-14)",
        "nothing of the request's on the job's g",
        f"the job's g held {job_saw['request_g']!r}",
        visitors.last_response,
    )
