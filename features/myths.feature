@myth
Feature: What the 2018 article got wrong
  "Flask Routing & Sessions: A Subtle Symphony" (hackersandslackers.com,
  September 2018) is still one of the first results for Flask sessions and
  request hooks. Six of its claims are wrong on every Flask since 1.0, and
  code written from them fails in ways that are easy to miss in a browser:
  every page answers 200, every request raises, or the data meant to be
  private is in the cookie for anyone to read.

  Each scenario quotes the claim, then shows what Flask really does. Claims
  about sessions run against the app under test, on both session backends.
  Claims about app code run a small app written exactly as the article shows,
  next to the pattern Flask's docs teach, so the difference is on the page.
  Those small apps are the kit's own, not the app under test: their scenarios
  are tagged documents-flask, pass or fail with Flask whatever app is checked,
  and are reported apart from the app's results.

  @sessions @persistence @cookie-only @SES-01 @SES-02
  Scenario: Flask's own sessions are stored in the cookie, readable without the key
    The article: "Unlike cookie-based sessions, Flask sessions are handled and
    stored on the server-side."
    Flask's default session IS a cookie-based session: the whole dict is
    serialised into the cookie, signed but not encrypted, and the server keeps
    nothing (SES-01, SES-02). Server-side storage needs an extension such as
    Flask-Session.
    When Alice stores "alice" under "user" in the session
    And Alice stores "blue" under "colour" in the session
    Then anyone holding Alice's cookie can read "alice" in it
    And Alice's cookie alone carries everything her session holds

  @hooks @H-06 @H-08 @documents-flask
  Scenario Outline: A before_request that renders the login page answers every URL with it
    The article's before_request: "if 'username' in session: return
    render_template('/dashboard.html') else: return render_template('/login.html')",
    to "prompt them to log in... or whatever".
    Whatever a before_request returns (other than None) becomes the response and
    the view never runs (H-06), and before_request runs for static files and
    unmatched URLs too (H-08). So the login form's POST never reaches the login
    view (nobody can ever log in), the stylesheet is login markup, and a URL that
    does not exist answers 200 instead of 404.
    Given an app whose before_request is written as in the article
    And the visitor is <who>
    When the visitor asks for <page>
    Then that app answers <status> with <answer>

    Examples:
      | who       | page                      | status | answer             |
      | anonymous | the dashboard             | 200    | the login page     |
      | anonymous | the login form, filled in | 200    | the login page     |
      | anonymous | the stylesheet            | 200    | the login page     |
      | anonymous | an unknown URL            | 200    | the login page     |
      | logged in | the stylesheet            | 200    | the dashboard page |
      | logged in | an unknown URL            | 200    | the dashboard page |

  @hooks @H-06 @H-08 @documents-flask
  Scenario Outline: A before_request that redirects anonymous visitors lets the right requests through
    The pattern Flask's docs teach: redirect anonymous visitors to the login
    page, exempt the login page and static files, and return None for everyone
    else so that Flask goes on to the view, the static file or its 404.
    Given an app whose before_request redirects anonymous visitors to the login page
    And the visitor is <who>
    When the visitor asks for <page>
    Then that app answers <status> with <answer>

    Examples:
      | who       | page                      | status | answer                       |
      | anonymous | the dashboard             | 302    | a redirect to the login page |
      | anonymous | the login page            | 200    | the login page               |
      | anonymous | the login form, filled in | 302    | a redirect to the dashboard  |
      | anonymous | the stylesheet            | 200    | the stylesheet               |
      | anonymous | an unknown URL            | 302    | a redirect to the login page |
      | logged in | the dashboard             | 200    | the dashboard page           |
      | logged in | the stylesheet            | 200    | the stylesheet               |
      | logged in | an unknown URL            | 404    | a Not Found page             |

  @hooks @H-09 @H-02 @documents-flask
  Scenario: Whatever a url_value_preprocessor returns is ignored
    The article's url_value_preprocessor ends with "session.modified = True"
    and "return session", so that it can "handle data being posted to any part
    of our app before we even bother serving up views".
    Flask ignores the return value of a url_value_preprocessor (H-09): it runs
    before every before_request (H-02) and then the view runs as usual. Only a
    before_request can answer instead of the view.
    Given an app whose url_value_preprocessor is written as in the article
    When the visitor asks for the details page with an email address
    Then that app answers 200 with the details page
    And that app's url_value_preprocessor called the API before the view ran

  @hooks @H-08 @H-09 @documents-flask
  Scenario: The article's url_value_preprocessor calls its API for stylesheets and unknown URLs too
    The article: "This allows us to handle data being posted to any part of our
    app before we even bother serving up views."
    An app-level url_value_preprocessor runs for every request, static files
    and unmatched URLs included; on an unmatched URL it is called with
    (None, None) (H-08, H-09). An API call inside it fires for every asset.
    Given an app whose url_value_preprocessor is written as in the article
    When the visitor asks for the stylesheet with an email address
    And the visitor asks for an unknown URL with an email address
    Then that app's url_value_preprocessor called the API for these endpoints:
      | endpoint |
      | static   |
      | None     |

  @hooks @errors @E-08 @documents-flask
  Scenario: A teardown_appcontext without a parameter makes every request fail
    The article: "@app.teardown_appcontext def teardown_db(): db = g.pop('db', None)"
    Flask calls every teardown function with one argument, the exception that
    ended the request or None (E-08). A function that takes none raises
    TypeError when each app context ends: on every request, even pages that
    never touch the database, after the view has already run. The test client
    raises; a real server answers 500 and the page is lost.
    Given an app whose teardown_appcontext is written as in the article
    When the visitor asks for a page that opens a database connection
    And the visitor asks for a page that never touches the database
    Then every request to that app failed with TypeError: teardown_db() takes 0 positional arguments but 1 was given
    And that app's views had run before the failure

  @hooks @errors @E-08 @H-13 @documents-flask
  Scenario: A teardown_appcontext that accepts the exception closes the connection
    The pattern Flask's docs teach: "def close_db(exc): db = g.pop('db', None)",
    then close it if it was opened.
    Given an app whose teardown_appcontext accepts the exception argument
    When the visitor asks for a page that opens a database connection
    Then that app answers 200 with the report page
    And that app closed the database connection after the request

  @sessions @mutation @M-01
  Scenario: Top-level changes to the session are saved without session.modified = True
    The article: "IMPORTANT: "True" forces our changes to be recognized.
    session.modified = True"
    The session notices its own top-level changes: assigning a key, deleting
    one, pop, clear, update and setdefault of a new key mark it modified
    (M-01). None of the requests below sets session.modified; the flag is
    needed only for changes the session cannot see (next scenarios).
    Given Alice has stored "blue" under "colour" in the session
    And Alice has stored "large" under "size" in the session
    When Alice stores "green" under "colour" in the session
    And Alice deletes "size" from her session
    Then Alice's session holds "green" under "colour"
    And Alice's session has no "size"

  @sessions @mutation @M-05 @M-06 @backend-difference @session-left-alone
  Scenario: A change made inside a stored list is the one Flask's own sessions miss
    Appending to a list stored in the session changes the list, not the session,
    so Flask's own sessions do not notice it and the change is lost (M-05).
    Flask-Session writes every non-empty session back to Redis on every request
    while SESSION_REFRESH_EACH_REQUEST is on (the default), so there the change
    survives by accident, as it does for a permanent cookie session (M-06).
    Given Alice's session is not permanent
    And Alice has a list holding "apple" under "cart" in the session
    When Alice appends "pear" to the list under "cart" in place
    Then what the list under "cart" holds afterwards depends on the backend:
      | backend | holds       | why                                                           |
      | cookie  | apple       | the session saw no change, so the cookie was not written      |
      | redis   | apple, pear | Flask-Session saves every non-empty session on every request  |

  @sessions @mutation @M-05
  Scenario: session.modified = True saves a change made inside a stored list
    This is the one case the article's advice is for: after changing a value
    inside the session in place, tell the session it changed.
    Given Alice's session is not permanent
    And Alice has a list holding "apple" under "cart" in the session
    When Alice appends "pear" to the list under "cart" in place, then sets session.modified
    Then Alice's list under "cart" holds "apple, pear"

  @sessions @logout @M-08
  Scenario: pop removes the key; it does not reset it to None
    The article: "Clearing a session is as simple as resetting the session
    dictionary values back to None by using the pop method:
    session.pop('value', None)."
    pop removes the key and returns its value; the None is only what pop
    returns when the key is missing (M-08). Afterwards the key is not in the
    session at all, and only session.get answers None. The rest of the session
    is untouched: to end the whole session, use clear().
    Given Alice has stored "alice" under "user" in the session
    And Alice has stored "blue" under "colour" in the session
    When Alice pops "user" from her session with a default
    Then the pop returned "alice", not None
    And the app sees "user" in Alice's session like this:
      | asking              | answer          |
      | "user" in session   | False           |
      | session["user"]     | raises KeyError |
      | session.get("user") | None            |
    And Alice's session holds "blue" under "colour"
