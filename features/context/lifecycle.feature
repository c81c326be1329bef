@contexts
Feature: Contexts begin and end where Flask says, and Flask tells whoever listens
  Every request pushes a request context and, with it, an app context, and
  pops both when the response is done. Tests, CLI commands and background
  jobs push contexts by hand as well. Apps rely on every step of that:

  - once a request is over (CX-01), or a test's "with client:" block has
    ended (G-12), no context is left active; otherwise the next request
    reuses it and shares its g (G-06);
  - popping a context pushed by hand runs every teardown function, with
    None when nothing went wrong and with the error when one did (CX-02);
  - "with app.app_context() as ctx:" hands over the very context it pushed
    (CX-03);
  - code that may run outside a request asks has_app_context() and
    has_request_context() first (CX-04), and after_this_request or
    copy_current_request_context called outside one fail with a
    RuntimeError that says so (CX-07);
  - pushing the request's own contexts again inside it does not end them
    early (CX-05), and a context popped out of order is refused instead of
    leaving the contexts mixed up (CX-06).

  Work handed to a thread or a greenlet keeps the request with
  copy_current_request_context, or by pushing a copy of the request context:
  it sees the same request and the same session object, with what the
  request put in it and had not saved yet (G-14), but it gets an app context,
  and so a g, of its own.

  Extensions and monitoring listen to Flask's signals (since Flask 2.3
  blinker is always installed, so they are always sent). Each request sends
  appcontext_pushed, request_started, request_finished (with the response),
  request_tearing_down, appcontext_tearing_down and appcontext_popped once,
  in that order (SIG-01, the order of H-01). An unhandled error is sent with
  got_request_exception, and the teardown signals carry it (SIG-02); under
  TESTING the error escapes before a response exists, so request_finished
  is never sent.

  New behaviour IDs, not in the reference catalogue: CX-01 to CX-07 for the
  context lifecycle, SIG-01 and SIG-02 for the signals.

  @CX-01
  Scenario: Once a request is over, no request or app context is left active
    When Alice visits a page that never touches the session
    Then no request context and no app context is active in the test

  @G-12
  Scenario: Once a "with client:" block ends, the contexts it kept are gone
    Given Alice's test client keeps the last request's context
    And Alice's request has put "blue" on g as "colour"
    When the test's "with client:" block ends
    Then no request context and no app context is active in the test

  @CX-02 @H-13
  Scenario Outline: A request context pushed by hand runs every teardown when it is popped
    When the test pushes a request context for a page of the app by hand and <ends it>
    Then its teardown functions ran once each, in order, receiving <exception>:
      | hook                | registered by    |
      | teardown_request    | child blueprint  |
      | teardown_request    | parent blueprint |
      | teardown_request    | app              |
      | teardown_appcontext | app              |
    And no request context and no app context is active in the test

    Examples:
      | ends it                                      | exception           |
      | pops it                                      | None                |
      | pops it after catching an error of its own   | None                |
      | pops it while handling an error of its own   | ProbeHandledError   |
      | leaves its with block by an error            | ProbeUnhandledError |

  @CX-02
  Scenario Outline: An app context pushed by hand runs teardown_appcontext when it is popped
    When the test pushes an app context of the app by hand and <ends it>
    Then its teardown functions ran once each, in order, receiving <exception>:
      | hook                | registered by |
      | teardown_appcontext | app           |
    And no request context and no app context is active in the test

    Examples:
      | ends it                                      | exception           |
      | pops it                                      | None                |
      | pops it while handling an error of its own   | ProbeHandledError   |
      | leaves its with block by an error            | ProbeUnhandledError |

  @CX-03
  Scenario Outline: "with" hands the test the very context it pushed
    When the test enters <context> in a with block
    Then inside the block, the context it was handed was the current <kind> context, of the app
    And no request context and no app context is active in the test

    Examples:
      | context                    | kind    |
      | app.app_context()          | app     |
      | app.test_request_context() | request |

  @CX-04
  Scenario Outline: Flask tells code whether an app context and a request context are active
    When the test asks Flask inside <context> whether contexts are active
    Then Flask answers <app> for an app context and <request> for a request context

    Examples:
      | context                    | app  | request |
      | app.app_context()          | True | False   |
      | app.test_request_context() | True | True    |

  @CX-04 @documents-flask
  Scenario: Outside any context, Flask says that no context is active
    When the test asks Flask outside any context whether contexts are active
    Then Flask answers False for an app context and False for a request context

  @CX-06
  Scenario Outline: Contexts popped out of order are refused
    When the test pushes two <kind> contexts of the app by hand and pops the first one first
    Then Flask refused with an AssertionError saying it popped the wrong <kind> context
    And no request context and no app context is active in the test

    Examples:
      | kind    |
      | app     |
      | request |

  @CX-07 @documents-flask
  Scenario Outline: Outside a request, <helper> refuses to work and says why
    When the test calls <helper> outside any context
    Then Flask refused with a RuntimeError saying <helper> can only be used in a request context

    Examples:
      | helper                       |
      | after_this_request           |
      | copy_current_request_context |

  @CX-05 @H-13
  Scenario: Pushing the request's own contexts again inside it does not end them early
    When Alice's traced request pushes its own app and request contexts again and leaves them
    Then the request's teardown functions ran once each, after its after_request functions
    And the request was still intact in the view once it had left them

  @G-14
  Scenario Outline: A job handed over with <how> sees the request and its unsaved session later
    When Alice's request stores "blue" under "colour" in the session and hands over a job with <how>
    And the job runs in a thread of its own after the response
    Then the job saw Alice's request, the very request object
    And the job saw the request's own session object, holding "blue" under "colour"

    Examples:
      | how                          |
      | copy_current_request_context |
      | request_ctx.copy()           |

  @G-14
  Scenario: A job handed over with copy_current_request_context has a g of its own
    When Alice's request stores "blue" under "colour" in the session and hands over a job with copy_current_request_context
    And the job runs in a thread of its own after the response
    Then the job's g did not hold what the request put on g

  @SIG-01 @H-01
  Scenario: A request sends each of Flask's signals once, in order
    Given the test listens to the app's signals
    When Alice visits a page that never touches the session
    Then the app sent these signals, once each, in this order:
      | signal                  | carrying     |
      | appcontext_pushed       |              |
      | request_started         |              |
      | request_finished        | 200 response |
      | request_tearing_down    | None         |
      | appcontext_tearing_down | None         |
      | appcontext_popped       |              |

  @SIG-02 @E-02 @errors
  Scenario: In production, an unhandled error is signalled and reaches the teardown signals
    Given the app turns unhandled errors into 500 responses, as in production
    And the test listens to the app's signals
    When Alice's request raises an error that nothing handles
    Then the app sent these signals, once each, in this order:
      | signal                  | carrying            |
      | appcontext_pushed       |                     |
      | request_started         |                     |
      | got_request_exception   | ProbeUnhandledError |
      | request_finished        | 500 response        |
      | request_tearing_down    | ProbeUnhandledError |
      | appcontext_tearing_down | ProbeUnhandledError |
      | appcontext_popped       |                     |

  @SIG-02 @E-03 @errors
  Scenario: Under TESTING, an unhandled error is signalled but no request_finished is sent
    Given the app runs with TESTING on
    And the test listens to the app's signals
    When Alice's request raises an error that nothing handles
    Then the app sent these signals, once each, in this order:
      | signal                  | carrying            |
      | appcontext_pushed       |                     |
      | request_started         |                     |
      | got_request_exception   | ProbeUnhandledError |
      | request_tearing_down    | ProbeUnhandledError |
      | appcontext_tearing_down | ProbeUnhandledError |
      | appcontext_popped       |                     |
