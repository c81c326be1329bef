@sessions @expiry
Feature: A session ends when its lifetime has passed, and the server checks that itself
  PERMANENT_SESSION_LIFETIME (31 days unless the app says otherwise) decides
  how long a session lives. A *permanent* session gets a cookie that expires
  one lifetime from now; a session that is not permanent gets a cookie that
  lives until the browser closes (P-02, P-03).

  The cookie's Expires is only advice to the browser. What ends a session is
  the server: Flask's signed cookie carries the time it was signed, and Flask
  rejects a signature older than the lifetime, whether the session is
  permanent or not, and whether or not a careless client still sends the
  cookie (P-05, P-06). Flask-Session keeps the session in Redis under a key
  that Redis deletes one lifetime after it was last saved (T-12).

  With SESSION_REFRESH_EACH_REQUEST on (the default) every response to a
  visitor with a permanent session sends the cookie again with a new Expires,
  so a session lives as long as its visitor keeps coming back; with it off the
  session ends one lifetime after it was last changed (P-09, P-10). Refreshing
  never re-sends the cookie of a session that is not permanent (P-11) but
  Flask-Session still saves such a session again, resetting its time in Redis.

  Where the clock of record lives differs: the cookie's signature is checked
  against the lifetime in force now, so shortening the lifetime or moving the
  clock backwards ends cookie sessions at once, while a Redis key keeps the
  time to live it was given when it was saved (P-07, P-08).

  An expired session is not an error: the app opens a fresh, empty session
  for the old cookie, and that session takes writes like any other, so the
  visitor simply logs in again (P-12, K-08).

  These specs move the kit's clock; nothing waits. Each scenario starts at
  2030-01-01 12:00:00 UTC.

  Background:
    Given sessions last 30 minutes

  # -- the cookie the browser gets ---------------------------------------

  @P-01
  Scenario Outline: A session is permanent exactly when its "_permanent" key says so (<made permanent>)
    session.permanent is no state of its own: it reads the "_permanent" key
    the session keeps (missing means not permanent), and setting it writes
    that key. An app that makes every session permanent (a hook, or
    Flask-Session's SESSION_PERMANENT) does it through that key too.
    Given Alice has stored "alice" under "user" in the session
    And Alice's session <made permanent>
    Then whether Alice's session is permanent follows its "_permanent" key

    Examples:
      | made permanent   |
      | is not permanent |
      | is permanent     |
      | is left as it is |


  @P-02 @P-13 @T-12
  Scenario: A permanent session's cookie expires one lifetime from now and has no Max-Age
    Given Alice has stored "alice" under "user" in the session
    When Alice makes her session permanent
    Then the response's session cookie expires 30 minutes from now, with no Max-Age

  @P-03 @session-left-alone
  Scenario: A session that is not permanent gets a cookie that lasts until the browser closes
    When Alice stores "alice" under "user" in the session
    Then the response's session cookie lasts until the browser closes, with neither Expires nor Max-Age

  @P-04
  Scenario: A lifetime configured as a number of seconds works like a timedelta
    Given sessions last 1800 seconds, configured as a plain number
    And Alice has stored "alice" under "user" in the session
    When Alice makes her session permanent
    Then the response's session cookie expires 30 minutes from now, with no Max-Age

  # -- who ends a session: the browser or the server ---------------------

  @P-02 @T-11
  Scenario Outline: The browser keeps a permanent session's cookie until its Expires, then drops it on its own
    Given Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    When <elapsed> pass
    Then Alice's browser <keeps or drops the cookie>

    Examples:
      | elapsed    | keeps or drops the cookie                    |
      | 29 minutes | still holds her session cookie               |
      | 31 minutes | has dropped her session cookie on its own    |

  @P-05 @T-05
  Scenario Outline: The server itself rejects a permanent session's cookie replayed after the lifetime
    A careless client (Werkzeug's test client, a script, an attacker) ignores
    Expires and sends the cookie anyway. Putting the captured cookie back into
    Alice's browser plays that client: the app must still refuse it.

    Given Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    And Alice's session cookie has been captured
    When <elapsed> pass
    And the captured cookie is put back into Alice's browser
    Then the app <verdict> the session cookie Alice sent

    Examples:
      | elapsed    | verdict |
      | 29 minutes | accepts |
      | 31 minutes | rejects |

  @P-06 @session-left-alone
  Scenario Outline: A session that is not permanent also ends one lifetime after it was written, though the browser still sends it
    Given Alice has stored "alice" under "user" in the session
    When <elapsed> pass
    Then Alice's browser still holds her session cookie
    And the app <verdict> the session cookie Alice sent

    Examples:
      | elapsed    | verdict |
      | 29 minutes | accepts |
      | 31 minutes | rejects |

  # A real Redis server counts time on its own clock while the kit's clock
  # stands still between moves, so "exactly 30 minutes later" cannot be
  # reproduced against it; the boundary is pinned for the signature only.
  @P-05 @P-06 @cookie-only
  Scenario Outline: The signature's age is checked to the second: valid at exactly the lifetime, rejected one second later
    The captured cookie is put back as a careless client would send it, so
    the check is the server's alone and holds on every app, including one that
    makes every session permanent (whose browser would drop the cookie itself).
    Given Alice has stored "alice" under "user" in the session
    And Alice's session cookie has been captured
    When <elapsed> pass
    And the captured cookie is put back into Alice's browser
    Then the app <verdict> the session cookie Alice sent

    Examples:
      | elapsed      | verdict |
      | 1800 seconds | accepts |
      | 1801 seconds | rejects |

  @P-12 @W-05 @session-left-alone
  Scenario: An expired session comes back empty and not permanent, and no deletion cookie is sent
    Given Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    And Alice's session cookie has been captured
    And 31 minutes have passed
    When the captured cookie is put back into Alice's browser
    And Alice's request reads the session with session.permanent
    Then the response sets no cookie
    And the session the app opened for the cookie Alice sent was empty and not permanent

  @P-12 @K-08
  Scenario: After her session expired, what Alice stores is saved in a new session
    Given Alice has stored "alice" under "user" in the session
    And 31 minutes have passed
    When Alice stores "alice" under "user" in the new session the app gave her
    Then the new session was saved, holding "alice" under "user"

  # -- refreshing on every request ---------------------------------------

  @P-09 @P-10 @W-08 @session-left-alone
  Scenario Outline: A page that never touches a permanent session re-sends its cookie only when sessions are refreshed
    Given sessions <are or are not> refreshed on every request
    And Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    And 20 minutes have passed
    When Alice visits a page that never touches the session
    Then the response <re-sends or not>

    Examples:
      | are or are not | re-sends or not                                                  |
      | are            | renews the session cookie to expire 30 minutes from now          |
      | are not        | sets no cookie                                                   |

  @P-09 @P-10 @session-left-alone
  Scenario Outline: A permanent session visited every 20 minutes outlives its lifetime only when sessions are refreshed
    Given sessions <are or are not> refreshed on every request
    And Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    When Alice visits a page that never touches the session every 20 minutes, 3 times
    Then Alice's session <outcome>

    Examples:
      | are or are not | outcome                    |
      | are            | holds "alice" under "user" |
      | are not        | is empty                   |

  @P-11 @W-09 @session-left-alone
  Scenario: Refreshing on every request never re-sends the cookie of a session that is not permanent
    Given sessions are refreshed on every request
    And Alice has stored "alice" under "user" in the session
    And 20 minutes have passed
    When Alice visits a page that never touches the session
    Then the response sets no cookie

  @P-06 @P-11 @backend-difference @session-left-alone
  Scenario: A session that is not permanent, visited every 20 minutes, outlives its lifetime only in Redis
    Given sessions are refreshed on every request
    And Alice has stored "alice" under "user" in the session
    When Alice visits a page that never touches the session every 20 minutes, 3 times
    Then whether Alice's session still holds "alice" under "user" depends on the backend:
      | backend | holds | why                                                                                     |
      | cookie  | no    | the cookie is never re-signed, so at 40 minutes its signature is older than the lifetime |
      | redis   | yes   | Flask-Session saves the session on every request, resetting the key's time to live      |

  # -- changing the lifetime or the clock under a live session -----------

  @P-08 @backend-difference
  Scenario: Shortening the lifetime ends sessions already issued, unless they live in Redis
    Given sessions last 2 hours
    And Alice has stored "alice" under "user" in the session
    And Alice's session is permanent
    And 61 minutes have passed
    When the app's session lifetime is shortened to 1 hour
    Then whether Alice's session still holds "alice" under "user" depends on the backend:
      | backend | holds | why                                                                                   |
      | cookie  | no    | the signature's age (61 minutes) is checked against the lifetime in force when it loads |
      | redis   | yes   | the key was given 2 hours to live when it was saved; loading it checks no age           |

  @P-08 @redis-only
  Scenario: Redis takes a shortened lifetime the next time it saves the session
    Given sessions last 2 hours
    And Alice has stored "alice" under "user" in the session
    When the app's session lifetime is shortened to 1 hour
    And Alice visits a page that never touches the session
    Then the store keeps Alice's session for 1 hour

  @P-07 @backend-difference
  Scenario: A clock moved backwards empties a cookie session but not one kept in Redis
    Given Alice has stored "alice" under "user" in the session
    When the clock is moved back 2 seconds
    Then whether Alice's session still holds "alice" under "user" depends on the backend:
      | backend | holds | why                                                                        |
      | cookie  | no    | the signature now carries a time in the future, which itsdangerous rejects |
      | redis   | yes   | moving the clock back only lengthens the key's time to live               |

  # -- the store's time to live ------------------------------------------

  @T-12 @redis-only
  Scenario Outline: Redis keeps a session for one lifetime after it was saved, permanent or not
    Given Alice has stored "alice" under "user" in the session
    And Alice's session <is or is not> permanent
    When 10 minutes pass
    Then the store keeps Alice's session for 20 minutes

    Examples:
      | is or is not |
      | is           |
      | is not       |

  @P-09 @P-10 @P-11 @redis-only
  Scenario Outline: A page that never touches the session resets the session's time in Redis only when sessions are refreshed
    Given sessions <are or are not> refreshed on every request
    And Alice has stored "alice" under "user" in the session
    And Alice's session <is or is not> permanent
    And 20 minutes have passed
    When Alice visits a page that never touches the session
    Then the store keeps Alice's session for <kept>

    Examples:
      | are or are not | is or is not | kept       |
      | are            | is           | 30 minutes |
      | are            | is not       | 30 minutes |
      | are not        | is           | 10 minutes |
      | are not        | is not       | 10 minutes |
