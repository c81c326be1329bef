@journey
Feature: A session planted before login is not the one logged in
  Session fixation: an attacker gets a session of their own from the app,
  plants its cookie in the victim's browser (through a shared computer or a
  subdomain), waits for the victim to log in, then uses the same session. An
  app is safe when logging in starts a new session: Flask's signed cookie is
  rewritten with the user in it (the attacker's copy never holds the user);
  a server-side store must give the session a new id at login (Flask-Session:
  ``app.session_interface.regenerate(session)``), or the planted id becomes
  a logged-in id the attacker already knows.

  @WSTG-SESS-03 @ASVS4-3.2.1 @ASVS5-7.2.4
  Scenario: The session Mallory planted is not logged in after Alice logs in with it
    Given Mallory has planted her session cookie in Alice's browser
    When Alice logs in
    Then Mallory is still not logged in as Alice

  @WSTG-SESS-03 @ASVS4-3.2.1 @ASVS5-7.2.4
  Scenario: A server-side session gets a new id when its user logs in
    Given Alice has a server-side session from before she logs in
    When Alice logs in
    Then Alice's session id has changed
