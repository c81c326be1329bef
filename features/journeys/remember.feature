@journey @flask-login
Feature: A remember-me cookie does not outlive logout
  Flask-Login's "remember me" sets a second, long-lived cookie
  (remember_token) that logs the user back in when the session cookie is gone,
  for example after the browser restarts. logout_user() tells Flask-Login to
  delete it; an app that logs out with session.clear() alone leaves it in the
  browser, and the next request logs the user straight back in. Apps without
  Flask-Login, or whose profile has no [login] remember fields, have nothing
  here to check.

  @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: After logout, the remember-me cookie does not log the user back in
    Given Alice has logged in asking to be remembered
    When Alice logs out
    And Alice closes her browser and opens it again
    Then the remember-me cookie does not log Alice back in
