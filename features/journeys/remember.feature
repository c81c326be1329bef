@journey @flask-login
Feature: A remember-me cookie does not outlive logout
  Flask-Login's "remember me" sets a second, long-lived cookie
  (remember_token) that logs the user back in when the session cookie is gone,
  for example after the browser restarts. logout_user() tells Flask-Login to
  delete it; an app that logs out with session.clear() alone leaves it in the
  browser, and the next request logs the user straight back in. An app that
  remembers every login (no box to tick) sets the cookie at a plain login;
  apps without Flask-Login, or whose login neither does that nor has
  [login] remember fields in the profile, have nothing here to check.

  Deleting the cookie in the user's own browser is not the end of it. The
  cookie holds the user's id and a signature over it, so a copy taken before
  logout (from a shared computer, a proxy log, malware) logs its holder in
  for as long as the user's id stays the same: a year by default. An app ends
  remember-me on the server by making the id in the cookie a token that
  changes at logout (Flask-Login's "alternative tokens", Flask-Security's
  fs_uniquifier). The cookie's name is the one the login really set, since
  apps rename it.

  @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: After logout, the remember-me cookie does not log the user back in
    Given Alice has logged in asking to be remembered
    When Alice logs out
    And Alice closes her browser and opens it again
    Then the remember-me cookie does not log Alice back in

  @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: A remember-me cookie copied before logout does not log anyone in after it
    Given Alice has logged in asking to be remembered
    And Mallory has copied Alice's remember cookie
    When Alice logs out
    Then Mallory cannot get in as Alice with the copied remember cookie
