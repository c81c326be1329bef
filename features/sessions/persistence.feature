@sessions @persistence
Feature: A session keeps what a visitor stored, for that visitor only
  Flask gives every visitor a session: a dict that outlives the request that
  filled it. Flask's own sessions keep that dict *inside the cookie*, signed
  with the app's SECRET_KEY but not encrypted, and the server stores nothing
  (SES-01, SES-02). Flask-Session instead keeps the dict in a store such as
  Redis and puts only a random id in the cookie (T-12).

  Which of the two an app uses decides who can read the data and whether a
  session can ever be revoked, so these specs run on both.

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

  @W-09
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
