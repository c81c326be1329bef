@sessions @keys
Feature: The secret key is the only thing that makes a session cookie trustworthy
  Flask signs its session cookie with SECRET_KEY (HMAC-SHA1 through
  itsdangerous, salt "cookie-session"). A cookie whose signature does not
  check out, for whatever reason, is not an error: Flask quietly starts an
  empty session, answers as usual and sends no cookie back (K-01). The other
  side of the coin is that anyone who knows SECRET_KEY can mint any session
  they like, and Flask will believe it (K-02).

  Flask 3.1 added SECRET_KEY_FALLBACKS for rotating the key: cookies signed
  with an old key listed there still load (K-03), every cookie Flask writes is
  signed with the current key (K-04, only since 3.1.1; 3.1.0 signed with the
  last fallback), a cookie that is only read keeps its old signature (K-05),
  and taking the old key out of the fallbacks ends every session it signed
  (K-06).

  With Flask-Session's Redis store the cookie holds only a random session id,
  unsigned by default. Any altered or made-up id is simply unknown to the store,
  so it too gives a new, empty session, and Flask-Session never adopts an id the
  client chose. The secret key signs nothing there, so rotating it leaves the
  sessions alone.

  On both stores the new session that replaces a refused cookie is a real
  one: what the visitor stores next is saved, so she can log in again (K-08,
  new here: the catalogue's K-01 and P-12 say the session is empty, not that
  it takes writes).

  @K-01
  Scenario Outline: A cookie the app did not sign as it is gives an empty session, silently
    This holds on every app, including one that makes every session permanent
    or writes to it in a hook: whatever the app then writes, nothing of the
    altered cookie's data is believed.
    Given Alice has stored "alice" under "user" in the session
    When Alice comes back with her session cookie tampered with: <alteration>
    Then the app answers as usual
    And Alice's session is empty

    Examples:
      | alteration                                     |
      | the payload rewritten to name "admin"          |
      | one character of the signature changed         |
      | replaced by garbage                            |
      | emptied                                        |
      | re-signed with another secret key              |
      | re-signed with another salt                    |

  @K-01 @W-05 @session-left-alone
  Scenario Outline: A cookie the app did not sign as it is gets no cookie back
    Flask starts an empty session for it and, since nothing changed that
    session, sends no Set-Cookie. An app whose hooks change every session
    (making it permanent, say) writes one, so this part does not apply there.
    Given Alice has stored "alice" under "user" in the session
    When Alice comes back with her session cookie tampered with: <alteration>
    Then the response sets no cookie

    Examples:
      | alteration                                     |
      | the payload rewritten to name "admin"          |
      | one character of the signature changed         |
      | replaced by garbage                            |
      | emptied                                        |
      | re-signed with another secret key              |
      | re-signed with another salt                    |

  @K-01 @K-08
  Scenario Outline: After a cookie the app did not sign as it is, what the visitor stores is saved again
    The session Flask opens for a refused cookie is a real, empty one that
    takes writes, not the NullSession of an app without a key (K-08): the
    visitor whose cookie was spoiled simply logs in again.
    Given Alice has stored "alice" under "user" in the session
    And Alice has come back with her session cookie tampered with: <alteration>
    When Alice stores "alice" under "user" in the new session the app gave her
    Then the new session was saved, holding "alice" under "user"

    Examples:
      | alteration                             |
      | one character of the signature changed |
      | replaced by garbage                    |
      | emptied                                |

  @K-01 @T-12 @redis-only
  Scenario: A session id the client made up is never adopted
    Given Mallory has planted a session id of her own choosing
    When Mallory stores "admin" under "role" in the session
    Then the app gave Mallory a new session id instead of the planted one

  @K-02 @cookie-only
  Scenario: Anyone who knows the secret key can mint a session
    Given Mallory has forged a session cookie holding "admin" under "role" with the app's secret key
    Then Mallory's session holds "admin" under "role"

  @K-06 @backend-difference
  Scenario: Changing the secret key with no fallback ends signed sessions only
    Given Alice has stored "alice" under "user" in the session
    When the app's secret key is changed to "new-key" with no fallback
    Then what Alice finds under "user" after the key change depends on the backend:
      | backend | Alice finds | why                                                    |
      | cookie  | nothing     | the cookie's signature no longer checks out            |
      | redis   | alice       | the cookie holds an unsigned id; the key signs nothing |

  @K-03 @flask-3.1+ @cookie-only
  Scenario: A cookie signed with a key kept in the fallbacks still loads
    Given the app signs sessions with the secret key "old-key"
    And Alice has stored "alice" under "user" in the session
    When the app's secret key is rotated to "new-key", keeping "old-key" as a fallback
    Then Alice's session holds "alice" under "user"

  @K-04 @flask-3.1.1+ @cookie-only
  Scenario: After a rotation, new cookies are signed with the current key
    Given the app signs sessions with the secret key "old-key"
    And Alice has stored "alice" under "user" in the session
    And the app's secret key has been rotated to "new-key", keeping "old-key" as a fallback
    When Alice stores "blue" under "colour" in the session
    Then Alice's session cookie is signed with "new-key", not with "old-key"

  @K-05 @flask-3.1+ @cookie-only @session-left-alone
  Scenario: Reading a session signed with a fallback key does not re-sign it
    Given the app signs sessions with the secret key "old-key"
    And Alice has stored "alice" under "user" in the session
    And the app's secret key has been rotated to "new-key", keeping "old-key" as a fallback
    When Alice reads "user" from her session
    Then the response sets no cookie
    And Alice's session cookie is signed with "old-key", not with "new-key"

  @K-06 @flask-3.1+ @cookie-only
  Scenario: Dropping the old key from the fallbacks ends the sessions it signed
    Given the app signs sessions with the secret key "old-key"
    And Alice has stored "alice" under "user" in the session
    And the app's secret key has been rotated to "new-key", keeping "old-key" as a fallback
    When "old-key" is dropped from the fallbacks
    Then Alice's session is empty
