@hooks
Feature: Request hooks run in a fixed order, and a before_request can answer instead of the view
  Flask runs an app's hooks around every view in one fixed order (H-01):
  url_value_preprocessor, then before_request, then the view, then
  after_this_request callbacks, then after_request, then teardown_request and
  finally teardown_appcontext. Hooks registered on the app run for every
  request; hooks registered on a blueprint run only for requests that the
  blueprint (or a blueprint nested in it) handles. On the way in, the app's
  hooks run first and the innermost blueprint's last. On the way out the order
  is reversed, except for after_this_request callbacks, which keep the order
  they were registered in.

  The first before_request that returns anything but None becomes the
  response: later before_request functions and the view are skipped, but
  after_request and every teardown still run (H-06). This is how login checks
  work, and why the wrong return value ("" or a template instead of a
  redirect) silently answers every page.

  The traced requests below go to a view of a blueprint nested in another
  blueprint. The app registers two before_request and two after_request
  functions of its own (app #1 and app #2), and each blueprint registers one of
  each hook. An app with a catch-all route (a wiki's `/<path:path>`) has no
  unknown URL: its own view answers the unknown page under the blueprint's
  prefix, so that scenario does not apply to it.

  @H-01 @H-11
  Scenario: One request passes through every hook in Flask's fixed order
    When Alice makes a traced request whose view registers 2 after_this_request callbacks
    Then the hooks ran in this order:
      | hook                   | registered by    |
      | url_value_preprocessor | app              |
      | url_value_preprocessor | parent blueprint |
      | url_value_preprocessor | child blueprint  |
      | before_request         | app #1           |
      | before_request         | app #2           |
      | before_request         | parent blueprint |
      | before_request         | child blueprint  |
      | view                   | child blueprint  |
      | after_this_request     | view #1          |
      | after_this_request     | view #2          |
      | after_request          | child blueprint  |
      | after_request          | parent blueprint |
      | after_request          | app #2           |
      | after_request          | app #1           |
      | teardown_request       | child blueprint  |
      | teardown_request       | parent blueprint |
      | teardown_request       | app              |
      | teardown_appcontext    | app              |

  Scenario Outline: Each kind of hook runs in its own order
    When Alice makes a traced request whose view registers 3 after_this_request callbacks
    Then its <hook> functions ran in the order <order>

    @H-02 @H-03
    Examples: On the way in, outer before inner
      | hook                   | order                                                   |
      | url_value_preprocessor | app, parent blueprint, child blueprint                  |
      | before_request         | app #1, app #2, parent blueprint, child blueprint       |

    @H-11
    Examples: after_this_request keeps registration order
      | hook               | order                    |
      | after_this_request | view #1, view #2, view #3 |

    @H-12 @H-13
    Examples: On the way out, inner before outer, in reverse registration order
      | hook             | order                                             |
      | after_request    | child blueprint, parent blueprint, app #2, app #1 |
      | teardown_request | child blueprint, parent blueprint, app            |

  @H-05
  Scenario: A blueprint's hooks run only for requests that blueprint handles
    When Alice's traced request goes to a page of the parent blueprint
    Then the hooks ran in this order:
      | hook                   | registered by    |
      | url_value_preprocessor | app              |
      | url_value_preprocessor | parent blueprint |
      | before_request         | app #1           |
      | before_request         | app #2           |
      | before_request         | parent blueprint |
      | after_request          | parent blueprint |
      | after_request          | app #2           |
      | after_request          | app #1           |
      | teardown_request       | parent blueprint |
      | teardown_request       | app              |
      | teardown_appcontext    | app              |

  @H-17 @H-05
  Scenario: An unknown page under a blueprint's prefix runs only the app's hooks
    When Alice's traced request goes to an unknown page under the nested blueprint's prefix
    Then the response has status 404
    And the hooks ran in this order:
      | hook                   | registered by |
      | url_value_preprocessor | app           |
      | before_request         | app #1        |
      | before_request         | app #2        |
      | after_request          | app #2        |
      | after_request          | app #1        |
      | teardown_request       | app           |
      | teardown_appcontext    | app           |

  @H-06
  Scenario Outline: A before_request that returns a response answers instead of the view
    When Alice's traced request is answered by the <answerer>'s before_request
    Then the response is the one the <answerer>'s before_request returned
    And the before_request functions that ran were <ran>
    And the view never ran
    And its after_request functions ran in the order child blueprint, parent blueprint, app #2, app #1
    And its teardown_request functions ran in the order child blueprint, parent blueprint, app

    Examples:
      | answerer         | ran                                               |
      | app #1           | app #1                                            |
      | app #2           | app #1, app #2                                    |
      | parent blueprint | app #1, app #2, parent blueprint                  |
      | child blueprint  | app #1, app #2, parent blueprint, child blueprint |

  @H-07
  Scenario Outline: Any return value but None answers, even an empty one
    When Alice's traced request is answered by a before_request that returns <value>
    Then the response is a 200 <kind> response with body <body>
    And the view never ran

    Examples:
      | value | kind | body |
      | ""    | HTML | ""   |
      | {}    | JSON | {}   |
      | []    | JSON | []   |

  @H-07
  Scenario: A before_request that returns False breaks the request
    When Alice's traced request is answered by a before_request that returns False
    Then the request failed with TypeError: "did not return a valid response"
    And the view never ran
    And its teardown_request functions ran in the order child blueprint, parent blueprint, app

  @H-09
  Scenario: What a url_value_preprocessor returns is ignored
    When Alice's traced request goes through url_value_preprocessors that return a redirect
    Then the response has status 200
    And the view ran
