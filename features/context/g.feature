@g
Feature: g lives exactly as long as one request's app context
  `g` is not global and not per user. It belongs to the app context, and Flask
  pushes a new app context, with a new, empty `g`, for every request (G-01).
  Every hook of that request, from url_value_preprocessor to
  teardown_appcontext, sees the same `g` (G-02), so `g` is where a request
  keeps its database connection or its current user, and where teardown finds
  them again.

  Tests can change this without meaning to. A request reuses an app context
  that the test has already pushed, so requests then share one `g` and
  teardown_appcontext waits for the test (G-06). `with client:` keeps the last
  request's context open after the response, and its teardown functions then
  run a second time when that context is dropped (G-10, G-11). A spec about
  `g` or teardown has to know which of these it is running under.

  `g` is a plain namespace with a small dict-like API (G-03), and code relies
  on its exact answers: reading a name nobody set raises AttributeError, as
  any missing attribute does, while `g.get` gives a default and `hasattr` is
  False; `g.pop` and `g.setdefault` behave like a dict's; `"name" in g` and
  iterating `g` see the names set in this request; its repr names the app.
  A teardown written as `db = g.pop("db", None)` only works because of them.
  These scenarios make each call inside a request of the app under test, on
  the `g` its `app_ctx_globals_class` made.

  @G-01
  Scenario: What one request puts on g is gone in the next
    Given Alice's request has put "blue" on g as "colour"
    When Alice's next request reads "colour" from g
    Then that request found nothing on g as "colour"

  @G-01
  Scenario: A counter kept on g starts over on every request
    When Alice counts on g in 3 requests
    Then the counts on g were 1, 1, 1

  @G-01 @H-13
  Scenario: teardown_appcontext runs once at the end of every request
    When Alice counts on g in 2 requests
    Then teardown_appcontext has run 2 times

  @G-02
  Scenario: Every hook of one request sees the same g
    When Alice makes a traced request
    Then every hook of that request saw the same g

  @G-05
  Scenario: An app context pushed inside a request has a g of its own
    When Alice's request pushes an app context of its own
    Then inside that app context g was a new, empty object
    And afterwards the request's g was back, without what was set inside

  @contexts @G-06 @flask-3.2-
  Scenario: Requests made under a test's app context share one g
    Given the test has pushed an app context of its own
    When Alice counts on g in 3 requests
    Then the counts on g were 1, 2, 3

  @contexts @G-06 @flask-3.2-
  Scenario: A request made under a test's app context sees what the test put on g
    Given the test has pushed an app context of its own
    And the test has put "from the test" on g as "origin"
    When Alice's next request reads "origin" from g
    Then that request found "from the test" on g as "origin"

  @contexts @G-06 @flask-3.2-
  Scenario: Under a test's app context, teardown_appcontext waits until the test pops it
    Given the test has pushed an app context of its own
    When Alice counts on g in 2 requests
    Then teardown_appcontext has run 0 times
    When the test pops its app context
    Then teardown_appcontext has run 1 time

  @contexts @G-10
  Scenario: Inside "with client:", the test can still read g after the response
    Given Alice's test client keeps the last request's context
    When Alice's request puts "blue" on g as "colour"
    Then the test still sees "blue" on g as "colour"

  @contexts @G-10
  Scenario: Inside "with client:", the next request replaces the kept g
    Given Alice's test client keeps the last request's context
    And Alice's request has put "blue" on g as "colour"
    When Alice visits a page that never touches the session
    Then the test no longer sees "colour" on g

  @contexts @G-11 @flask-3.1.2+
  Scenario: Inside "with client:", a request's teardown functions run twice
    The next request drops the context kept from the traced one: Flask pops
    it again, and every teardown function runs a second time, with the same g.
    Given Alice's test client keeps the last request's context
    When Alice makes a traced request
    Then by her next request, the traced request's teardown functions had run twice:
      | hook                | registered by    |
      | teardown_request    | child blueprint  |
      | teardown_request    | parent blueprint |
      | teardown_request    | app              |
      | teardown_appcontext | app              |
      | teardown_request    | child blueprint  |
      | teardown_request    | parent blueprint |
      | teardown_request    | app              |
      | teardown_appcontext | app              |

  @contexts @G-11 @flask-3.1.2-
  Scenario: Before Flask 3.1.2, the second teardown_request ran in a new, empty g
    Before 3.1.2 the test client re-pushed the kept request context before the
    kept app context. Dropping them popped the request's app context first
    (teardown_appcontext, with the request's g), then the request context,
    whose teardown_request functions ran in an app context of their own, with
    a new, empty g, followed by a third teardown_appcontext. A teardown that
    closes what the request put on g finds nothing there the second time.
    Given Alice's test client keeps the last request's context
    When Alice makes a traced request
    Then by her next request, the traced request's teardown functions had run twice:
      | hook                | registered by    |
      | teardown_request    | child blueprint  |
      | teardown_request    | parent blueprint |
      | teardown_request    | app              |
      | teardown_appcontext | app              |
      | teardown_appcontext | app              |

  @G-03
  Scenario Outline: Asking g about a name nobody put on it
    When Alice's request runs <call>, with nothing on g as "colour"
    Then the call <outcome>

    Examples:
      | call                    | outcome                |
      | g.colour                | raised AttributeError  |
      | g.get("colour")         | returned None          |
      | g.get("colour", "grey") | returned "grey"        |
      | hasattr(g, "colour")    | returned False         |
      | "colour" in g           | returned False         |

  @G-03
  Scenario Outline: Asking g about a name the request put on it
    When Alice's request runs <call>, with "blue" on g as "colour"
    Then the call <outcome>

    Examples:
      | call                    | outcome         |
      | g.colour                | returned "blue" |
      | g.get("colour")         | returned "blue" |
      | g.get("colour", "grey") | returned "blue" |
      | hasattr(g, "colour")    | returned True   |
      | "colour" in g           | returned True   |

  @G-03
  Scenario Outline: Taking a name off g works like a dict's pop, and a missing one is an error
    When Alice's request runs <call>, with <before> on g as "colour"
    Then the call <outcome>
    And afterwards g holds nothing as "colour"

    Examples:
      | before  | call                    | outcome                |
      | "blue"  | g.pop("colour")         | returned "blue"        |
      | "blue"  | g.pop("colour", "grey") | returned "blue"        |
      | nothing | g.pop("colour", "grey") | returned "grey"        |
      | nothing | g.pop("colour")         | raised KeyError        |
      | "blue"  | del g.colour            | returned None          |
      | nothing | del g.colour            | raised AttributeError  |

  @G-03
  Scenario Outline: g.setdefault keeps what is there and stores the default only when nothing is
    When Alice's request runs <call>, with <before> on g as "colour"
    Then the call <outcome>
    And afterwards g holds <after> as "colour"

    Examples:
      | before  | call                           | outcome         | after  |
      | nothing | g.setdefault("colour", "grey") | returned "grey" | "grey" |
      | "blue"  | g.setdefault("colour", "grey") | returned "blue" | "blue" |
      | nothing | g.setdefault("colour")         | returned None   | None   |

  @G-03
  Scenario: Iterating g lists the names the request put on it, in the order they were put
    When Alice's request runs list(g), with "blue" on g as "colour" and "large" on g as "size"
    Then the call returned ["colour", "size"]

  @G-03
  Scenario: The repr of g names the app it belongs to
    When Alice's request runs repr(g)
    Then the call returned the repr <flask.g of 'the app's name'>
