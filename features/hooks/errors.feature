@errors
Feature: What the hooks see when a view fails
  A view can fail in three ways, and Flask treats them differently:

  - an exception that an errorhandler handles becomes that handler's
    response: after_request runs on it and every teardown gets None (E-01);
  - abort(403) and other HTTP errors are responses too, even with no handler:
    after_request runs and every teardown gets None (E-05);
  - any other exception is unhandled. In production it becomes a 500 that
    after_request still processes, and every teardown receives the original
    exception (E-02). Session writes made before the crash are saved with the
    500 (E-04).

  Under test, Flask does not turn an unhandled exception into a 500. With
  TESTING (or DEBUG, or PROPAGATE_EXCEPTIONS) on, the exception escapes to the
  test client, after_request never runs and nothing is saved, while teardowns
  still receive the exception (E-03). A test of error handling therefore has
  to say which of the two it means, and these specs set both settings.

  Which handler answers is decided by where the error was raised: Flask
  looks among the handlers of the request's blueprints, innermost first,
  then the app's. A blueprint's errorhandler therefore handles only errors
  raised in requests to that blueprint (or the blueprints nested in it); the
  same error raised by the blueprint it is nested in is not its business
  (E-09, new here). A 500 handler answers an unhandled error in production
  and receives an InternalServerError whose original_exception is the error;
  Flask logs the error first, as "Exception on <path> [<method>]" (E-02). When an after_request function fails, the request becomes a 500
  that the after_request functions process again; if one fails a second
  time, Flask logs "Request finalizing failed with an error while handling
  an error" and sends the 500 anyway, without the functions that would have
  run after it and without saving the session (E-06).

  abort() with a ready-made response (abort(make_response(...)), as JSON APIs
  do) raises an HTTP error without a status code of its own: Flask sends the
  response it carries as it is, and no errorhandler sees it, not even one
  registered for that response's status (E-13, new here).

  Routing answers some requests itself: a URL that leaves off the trailing
  slash of a route is redirected to the URL with it (308), before any view,
  and no errorhandler ever sees that redirect, not even a catch-all one
  (E-12, new here). The kit's page asks for its slash itself
  (strict_slashes=True), so an app whose url_map.strict_slashes is False
  still shows what routing does.

  HTTP errors are responses, unless the app asks Flask to trap them.
  Reading a form field the request did not send raises BadRequestKeyError, a
  400. In debug mode Flask traps it, so the developer sees the KeyError;
  TRAP_BAD_REQUEST_ERRORS decides that explicitly, and with it off, a debug
  400 page names the missing field while a production one never does (E-10,
  new here). TRAP_HTTP_EXCEPTIONS traps every HTTP error, and
  TRAP_BAD_REQUEST_ERRORS every 400: a trapped error that no handler takes is
  unhandled, a 500 in production (E-11, new here). An app with a handler of
  its own for the error (a 400 page) answers it its own way; those scenarios
  do not apply to it, as long as its answer is still an error. An app whose
  own config sets TRAP_HTTP_EXCEPTIONS (a debugging setting) turns abort(403),
  a 404 and routing's redirect into 500s: the scenarios about what Flask
  makes of an HTTP error otherwise do not apply to it, saying so.

  Many apps register a catch-all errorhandler(Exception) (JSON APIs do, to
  answer every failure in JSON). Then no exception is ever unhandled, and
  Flask's unhandled-error path does not exist in that app: the scenarios
  about an error that nothing handles are not applicable to it, with that
  reason. The catch-all's own answer is still judged: an exception the app
  did not expect must come back as a server error (5xx), and abort(403) as
  the 403 it is. A handler that turns failures into a 200 hides them from
  clients, proxies and monitoring, and fails.

  @E-01
  Scenario: A handled error is a normal response to the after_request and teardown functions
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request raises an error that the blueprint's errorhandler handles
    Then the response has status 418
    And the response was made by the child blueprint's errorhandler
    And every after_request function ran on the 418 response
    And every teardown function received no exception

  @E-01 @E-05
  Scenario: An HTTP error with an errorhandler for its code is answered by that handler
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request aborts with 409, which the errors blueprint's errorhandler answers
    Then the response is the one the errors blueprint's 409 handler returned
    And its after_request functions ran on the 409 response in the order parent blueprint, app #2, app #1

  @E-05
  Scenario: abort(403) counts as a response, not as an error
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request aborts with 403
    Then the response has status 403
    And every after_request function ran on the 403 response
    And every teardown function received no exception

  @E-02 @H-13
  Scenario: In production an unhandled error becomes a 500 that after_request still processes
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request raises an error that nothing handles
    Then the response has status 500
    And every after_request function ran on the 500 response
    And every teardown function received ProbeUnhandledError

  @E-03
  Scenario: Under TESTING an unhandled error escapes to the test client and skips after_request
    Given the app runs with TESTING on
    When Alice's traced request raises an error that nothing handles
    Then the error reached the test client as ProbeUnhandledError
    And no after_request function ran
    And every teardown function received ProbeUnhandledError

  @E-02 @E-03
  Scenario Outline: TESTING and PROPAGATE_EXCEPTIONS decide whether an unhandled error escapes
    Given the app runs with TESTING <testing> and PROPAGATE_EXCEPTIONS <propagate>
    When Alice's traced request raises an error that nothing handles
    Then the unhandled error <outcome>

    Examples:
      | testing | propagate | outcome                       |
      | off     | unset     | became a 500 response         |
      | on      | unset     | reached the test client       |
      | off     | on        | reached the test client       |
      | on      | off       | became a 500 response         |

  @E-04
  Scenario: In production, session writes made before a crash are saved with the 500
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's request stores "half-done" under "progress" in the session and then crashes
    Then the response has status 500
    And the response sets the session cookie
    And Alice's session holds "half-done" under "progress"

  @E-03
  Scenario: Under TESTING, session writes made before a crash are lost
    Given the app runs with TESTING on
    When Alice's request stores "half-done" under "progress" in the session and then crashes
    Then the error reached the test client as ProbeUnhandledError
    And Alice's session has no "progress"

  @H-11 @E-02
  Scenario: after_this_request callbacks registered before a crash still run on the 500
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request registers 2 after_this_request callbacks and then crashes
    Then the response has status 500
    And its after_this_request functions ran in the order view #1, view #2
    And every after_request function ran on the 500 response

  @E-02
  Scenario: In production the 500 handler answers an unhandled error and is given the original error
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request raises an error that only a 500 handler answers
    Then the response is the one the errors blueprint's 500 handler returned
    And the 500 handler received ProbeUnhandledError as the original error
    And its after_request functions ran on the 500 response in the order parent blueprint, app #2, app #1
    And the app logged the unhandled error as "Exception on <path> [GET]"

  @E-13
  Scenario: abort() with a response the view made sends that response, past every errorhandler
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request aborts with a response the view made itself
    Then the response is the one the view made, and no errorhandler ran

  @E-12
  Scenario: A URL missing its trailing slash is redirected by routing, never by an errorhandler
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request leaves the trailing slash off a page's URL
    Then the response redirects to the same URL with the trailing slash

  @E-09
  Scenario: A blueprint's errorhandler does not handle the same error raised by the blueprint it is nested in
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request raises, in the parent blueprint's view, the error the child blueprint handles
    Then no errorhandler ran
    And the response has status 500

  @E-06
  Scenario: An after_request that fails again on the 500 is logged, and the 500 still goes out
    Given the app turns unhandled errors into 500 responses, as in production
    When Alice's traced request has the child blueprint's after_request fail on every response
    Then the response has status 500
    And its after_request functions ran in the order child blueprint, child blueprint
    And the app logged "Request finalizing failed with an error while handling an error"

  @E-10
  Scenario Outline: A form field the request did not send is a 400, trapped in debug mode (DEBUG <debug>, TRAP_BAD_REQUEST_ERRORS <trap>)
    Given the app runs with DEBUG <debug> and TRAP_BAD_REQUEST_ERRORS <trap>
    When Alice's traced request reads a form field it was not sent, under these settings
    Then the failed request <outcome>

    Examples:
      | debug | trap  | outcome                                       |
      | off   | unset | is answered 400, not naming the field         |
      | on    | unset | reached the test client as BadRequestKeyError |
      | on    | off   | is answered 400, naming the field             |
      | off   | on    | became a 500 response                         |
      | off   | off   | is answered 400, not naming the field         |

  @E-11
  Scenario Outline: Trapped HTTP errors are unhandled errors (TRAP_HTTP_EXCEPTIONS <http>, TRAP_BAD_REQUEST_ERRORS <bad request>)
    Given the app turns unhandled errors into 500 responses, as in production
    And the app has TRAP_HTTP_EXCEPTIONS <http> and TRAP_BAD_REQUEST_ERRORS <bad request>
    When Alice's traced request <fails>, under these settings
    Then the failed request <outcome>

    Examples:
      | http | bad request | fails           | outcome               |
      | off  | unset       | aborts with 403 | is answered 403       |
      | on   | unset       | aborts with 403 | became a 500 response |
      | off  | on          | aborts with 400 | became a 500 response |
      | off  | on          | aborts with 403 | is answered 403       |
      | on   | off         | aborts with 400 | became a 500 response |
