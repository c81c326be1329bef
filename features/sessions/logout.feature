@sessions @logout
Feature: Logging out ends a session in the browser, not always on the server
  An app logs a user out by taking their identity out of the session, with
  session.pop("user_id") or session.clear(). The two are not the same: pop
  removes one key and keeps the rest of the session (the cookie is written
  again), clear empties it and tells the browser to delete the cookie (M-09).
  Neither sets a value to None, whatever the 2018 article says (M-08).

  What logout cannot do depends on where the session lives. Flask's own
  sessions live in the signed cookie and the server keeps nothing, so the
  server has nothing to revoke: a copy of the cookie taken before logout still
  logs its holder in until PERMANENT_SESSION_LIFETIME has passed (M-10). With
  Flask-Session the cookie holds only an id, and clearing the session deletes
  it from Redis, so the copy is worthless (T-12).

  The tables say what Flask does by itself. An app may do better, never
  worse: one that keeps signed cookies but also revokes at logout on the
  server (a table of live sessions, a per-user logout counter the session
  must match) turns the copy away, which is the remedy for replay, and passes.
  An app whose copied cookie still works gets the replay warning of
  features/journeys/logout.feature, with the remedies.

  The scenarios tagged @journey use the app's own login and logout pages, as
  described by its journey profile; the others act on the session directly.
  Where two users are in one scenario, Bob starts logged in and Alice logs in
  within it: what her login does on the server (a current user kept in a
  module-level variable, say) is what must not reach him.

  @journey
  Scenario: After logging out, the dashboard turns the user away
    Given Alice has logged in
    When Alice logs out
    Then Alice is turned away from the dashboard

  @journey @M-10 @T-12 @backend-difference
  Scenario: A cookie copied before logout logs its holder in only if sessions live in the cookie
    Given Alice has logged in
    And Mallory has copied Alice's session cookie
    When Alice logs out
    Then whether Mallory gets into the dashboard as Alice depends on the backend:
      | backend | Mallory gets in as Alice | why                                                               |
      | cookie  | yes                      | Flask's signed cookie cannot be revoked: the server keeps nothing to delete, unless the app revokes sessions itself |
      | redis   | no                       | logout deleted the session from the store; the copied id is unknown   |

  @M-10 @T-12 @backend-difference
  Scenario: A cleared session can be replayed from a copied cookie only if sessions live in the cookie
    Given Alice has stored "alice" under "user" in the session
    And Mallory has copied Alice's session cookie
    When Alice clears her session
    Then what Mallory finds under "user" with the copied cookie depends on the backend:
      | backend | Mallory finds | why                                                      |
      | cookie  | alice         | the copy still carries the data and a valid signature    |
      | redis   | nothing       | clear deleted the session from the store                 |

  @journey
  Scenario: Another user never sees Alice's identity, before or after she logs out
    Given Bob has logged in
    When Alice logs in
    Then the dashboard admits Alice as herself
    And the dashboard greets Bob and shows nothing of Alice
    When Alice logs out
    Then the dashboard greets Bob and shows nothing of Alice

  @M-09
  Scenario: Popping one key keeps the rest of the session and writes the cookie again
    Given Alice has stored "alice" under "user" in the session
    And Alice has stored "blue" under "colour" in the session
    When Alice pops "user" from her session
    Then the response sets the session cookie
    And Alice's session has no "user"
    And Alice's session holds "blue" under "colour"

  @M-09
  Scenario: Clearing the session drops everything and deletes the cookie
    Given Alice has stored "alice" under "user" in the session
    And Alice has stored "blue" under "colour" in the session
    When Alice clears her session
    Then the response deletes the session cookie
    And Alice's session is empty

  @M-08
  Scenario: Pop removes the key; it does not set it to None
    Given Alice has stored "alice" under "user" in the session
    When Alice pops "user" from her session
    Then the app sees "user" in Alice's session like this:
      | asking                     | answer          |
      | "user" in session          | False           |
      | session["user"]            | raises KeyError |
      | session.get("user")        | None            |

  @M-08
  Scenario: Popping a missing key without a default raises KeyError
    Given Alice has stored "blue" under "colour" in the session
    When Alice pops "user" from her session without a default
    Then the pop raised KeyError
    And Alice's session holds "blue" under "colour"

  @M-08 @session-left-alone
  Scenario: A pop that raised KeyError changed nothing, so no cookie is sent
    Given Alice has stored "blue" under "colour" in the session
    When Alice pops "user" from her session without a default
    Then the response sets no cookie
