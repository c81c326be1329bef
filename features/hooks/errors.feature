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
