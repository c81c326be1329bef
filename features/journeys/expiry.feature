@journey @expiry
Feature: Sessions end after the app's lifetime, whatever the browser does
  A session must end after a time without use (idle) and, however busy it
  is, after a limit since login (absolute). Flask's own setting is one
  lifetime, PERMANENT_SESSION_LIFETIME (31 days by default): the signature of
  a cookie older than that is refused by the server, whether the session was
  permanent (the cookie had an expiry date) or not (a browser-session cookie).
  A permanent session is written again on every request
  (SESSION_REFRESH_EACH_REQUEST), which makes its lifetime an idle limit with
  no absolute one. An app with its own policy states it in the profile's
  [expiry] table; otherwise the kit expects Flask's lifetime.

  The browser forgetting an expired cookie is not enough: a copy of the
  cookie must be refused by the server too. A browser-session cookie that the
  browser keeps but the server refuses after the lifetime is correct.

  The time is the kit's clock; nothing here waits.

  @WSTG-SESS-07 @ASVS4-3.3.1 @ASVS5-7.3.1
  Scenario: A session left alone ends after the app's idle lifetime
    Given Alice has logged in
    And Mallory has copied Alice's session cookie
    When Alice stays away for longer than the app's idle lifetime
    Then Alice is turned away from the dashboard
    And the server refuses Alice's old cookie when Mallory replays it

  @WSTG-SESS-07 @ASVS4-3.3.2 @ASVS5-7.3.2
  Scenario: A session in constant use still ends after the app's absolute lifetime
    Given Alice has logged in
    When Alice keeps using the app for longer than its absolute lifetime
    Then Alice's session has ended
