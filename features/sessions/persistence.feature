@sessions @persistence
Feature: A session keeps what a visitor stored, for that visitor only
  Flask gives every visitor a session: a dict that outlives the request that
  filled it. Flask's own sessions keep that dict *inside the cookie*, signed
  with the app's SECRET_KEY but not encrypted, and the server stores nothing
  (SES-01, SES-02). Flask-Session instead keeps the dict in a store such as
  Redis and puts only a random id in the cookie (T-12).

  Which of the two an app uses decides who can read the data and whether a
  session can ever be revoked, so these specs run on both.

  The session is saved once per request, after every after_request function
  and before teardown (W-06). A cookie is written only when the session was
  changed (or is permanent and refreshed on every request): reading never
  writes one, an empty session that nothing changed sends none, and a session
  that became empty is deleted with an expired cookie (W-01 to W-05). A
  response that used the session says so with Vary: Cookie, so that caches
  keep one copy per visitor (W-07, W-09).

  "Unchanged" means unchanged by anyone. Some apps' own hooks write into a
  session once, the first time they see it: Flask-Login's default session
  protection marks a session that has data but no _id (one it did not write
  itself, such as the kit's) as not fresh. A real visitor's session went
  through that long before, so on such an app the kit lets the app settle a
  session it wrote (one request to a page that never touches the session)
  before it judges the next request. An app whose hooks change the session
  on every request keeps no session unchanged, and the scenarios that need
  one do not apply to it. Likewise an app whose own hook reads the session
  whenever nothing else has (Flask-Login's after_request does, to refresh
  its remember cookie) makes every response vary on Cookie, which is right:
  "no Vary" does not apply to it.

  Flask's cookie sessions cannot be checked or signed without a SECRET_KEY:
  the session then reads as empty and every write fails (SES-04, SES-05).
  Flask-Session keeps the data on the server and needs no key.

  @SES-01 @T-12 @backend-difference
  Scenario: Where the session data lives depends on the session backend
    When Alice stores "blue" under "colour" in the session
    Then Alice's session holds "blue" under "colour"
    And where Alice's session data lives depends on the backend:
      | backend | where the data lives                      |
      | cookie  | in the cookie, readable without the key   |
      | redis   | in the Redis store; the cookie holds an id |

  @SES-01 @SES-02 @cookie-only
  Scenario: A signed cookie can be read by anyone who holds it
    When Alice stores "blue" under "colour" in the session
    Then anyone holding Alice's cookie can read "blue" in it

  @W-01
  Scenario: Storing a value writes the session cookie
    When Alice stores "blue" under "colour" in the session
    Then the response sets the session cookie
    And the response varies on Cookie

  @W-09 @session-left-alone
  Scenario: A request that never touches the session sends no cookie and no Vary
    Given Alice has stored "blue" under "colour" in the session
    When Alice visits a page that never touches the session
    Then the response sets no cookie
    And the response does not vary on Cookie

  Scenario: Two visitors' sessions never mix
    Given Alice has stored "blue" under "colour" in the session
    When Bob stores "green" under "colour" in the session
    Then Alice's session holds "blue" under "colour"
    And Bob's session holds "green" under "colour"

  @W-06
  Scenario: Writes made in after_request are saved, writes made in teardown are lost
    Given Alice has stored "blue" under "colour" in the session
    When Alice's request writes to the session from an after_request function and from a teardown function
    Then the write made in after_request is in Alice's session
    And the write made in teardown is not in Alice's session

  # -- when the cookie is written ----------------------------------------

  @W-01 @W-02 @session-left-alone
  Scenario Outline: Reading a session without changing it sends no cookie
    Given Alice has stored "blue" under "colour" in the session
    When Alice's request reads the session with <read>
    Then the response sets no cookie

    Examples:
      | read                  |
      | session.get("colour") |
      | session["colour"]     |
      | "colour" in session   |
      | len(session)          |
      | bool(session)         |
      | session.permanent     |

  @W-03
  Scenario: Storing the same value again still writes the cookie
    Given Alice has stored "blue" under "colour" in the session
    When Alice stores "blue" under "colour" in the session
    Then the response sets the session cookie

  @W-04
  Scenario: Clearing a session that was already empty sends a deletion cookie
    An app whose hooks write into every new session (Flask-SeaSurf stores
    its CSRF token after the view) writes the emptied session back holding
    that token, so on such an app this does not apply, saying so.
    When Alice clears her session
    Then the response deletes the session cookie

  @W-05 @session-left-alone
  Scenario: An empty session that nothing changed sends no cookie at all
    On an app whose hooks write into every new session (Flask-SeaSurf's
    CSRF token) a visitor's first page gets a cookie holding what they wrote,
    so this does not apply there, saying so.
    When Alice's request reads the session with session.get("colour")
    Then the response sets no cookie
    And Alice's browser holds no session cookie

  # -- Vary: Cookie ------------------------------------------------------

  @W-07
  Scenario Outline: A response that read the session says it varies on Cookie
    Given Alice has stored "blue" under "colour" in the session
    When Alice's request reads the session with <read>
    Then the response <vary> on Cookie

    Examples: On every Flask version
      | read                  | vary   |
      | session.get("colour") | varies |
      | session["colour"]     | varies |
      | session.permanent     | varies |

    # Flask 3.1.3 (GHSA-68rp-wp8r-4726) counts any use of the session as
    # access; before it, `in`, len() and bool() went unnoticed.
    @flask-3.1.3+
    Examples: Since Flask 3.1.3, on any use of the session
      | read                | vary   |
      | "colour" in session | varies |
      | len(session)        | varies |
      | bool(session)       | varies |

    @flask-3.1.3- @session-left-alone
    Examples: Before Flask 3.1.3, not on these
      | read                | vary          |
      | "colour" in session | does not vary |
      | len(session)        | does not vary |
      | bool(session)       | does not vary |

  @W-08
  Scenario: A permanent session re-sent for a page that never touched it still varies on Cookie
    Flask adds Vary: Cookie whenever it writes the cookie, not only when the
    view used the session: the refreshed cookie is this visitor's alone.
    Given sessions are refreshed on every request
    And Alice has stored "blue" under "colour" in the session
    And Alice's session is permanent
    When Alice visits a page that never touches the session
    Then the response sets the session cookie
    And the response varies on Cookie

  # -- no SECRET_KEY -----------------------------------------------------

  @SES-04 @backend-difference @session-left-alone
  Scenario: Without a secret key the session reads as empty, unless it lives on the server
    Given Alice has stored "blue" under "colour" in the session
    And the app has no secret key set
    When Alice's request reads the session with session.get("colour")
    Then the response sets no cookie
    And what Alice finds under "colour" without a secret key depends on the backend:
      | backend | Alice finds | why                                                               |
      | cookie  | nothing     | the signed cookie cannot be checked, so Flask opens a NullSession |
      | redis   | blue        | Flask-Session looks the id up in Redis and needs no secret key    |

  @SES-04 @backend-difference @session-left-alone
  Scenario: Without a secret key a request that reads the session does not vary on Cookie, unless the session lives on the server
    Flask never saves the NullSession it opens without a key, so it adds
    nothing to the response, not even Vary: Cookie.
    Given Alice has stored "blue" under "colour" in the session
    And the app has no secret key set
    When Alice's request reads the session with session.get("colour")
    Then whether the response varies on Cookie depends on the backend:
      | backend | varies | why                                                                    |
      | cookie  | no     | the NullSession Flask opens without a key is never saved               |
      | redis   | yes    | Flask-Session opens and saves the session from Redis without the key   |

  @SES-05 @backend-difference @session-left-alone
  Scenario: Without a secret key writing to the session fails, unless it lives on the server
    Given the app has no secret key set
    When Alice tries to store "blue" under "colour" in the session
    Then what came of storing in the session depends on the backend:
      | backend | outcome                                                                           |
      | cookie  | fails with RuntimeError: The session is unavailable because no secret key was set |
      | redis   | succeeds                                                                          |
