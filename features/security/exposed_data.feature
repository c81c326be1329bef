@sessions @security @WSTG-SESS-04 @ASVS4-8.2.2 @ASVS5-14.3.3
Feature: What the app keeps in a readable session cookie is nothing to hide
  Flask's session cookie is signed, not encrypted (SES-02): anyone who holds
  it, the visitor, a shared computer, a proxy log, can decode the payload
  without the key. The signature stops them changing it, not reading it. So a
  password, a password hash, an API key or a card number put in the session
  is published to whoever sees the cookie.

  The kit logs in through the app's journey profile, decodes the session
  cookie the login gave, and flags keys that name secrets (password, token,
  api_key, secret...) and values that look like secrets whatever their key (a
  password hash, a private key, a card number). A CSRF token is the browser's
  own copy and is not flagged. Flask-Session's cookie holds only a random id,
  so nothing in it can be read.

  @journey
  Scenario: The session cookie a login gives holds nothing sensitive
    Given Alice has logged in
    Then nothing sensitive can be read in Alice's session cookie
