@journey
Feature: Logging out ends the session, in the browser and on the server
  Logging out must end access for the browser that logs out (the protected
  pages turn it away, see features/sessions/logout.feature) and leave nothing
  of the login behind: Flask deletes the session cookie when the session is
  cleared, and an app that only pops its own keys writes back a cookie that
  no longer says who the user was.

  What is left is judged by behaviour, not by key names. Real apps keep a
  CSRF token, a language, a flash message ("You have been logged out") or an
  extension's bookkeeping (_permanent, fs_cc) across a logout, and none of
  them says who the visitor is. The user's identity is what the login stored
  that belongs to that user: the same value whenever she logs in, another
  for another user (Flask-Login's _user_id). The kit learns it by logging in
  from browsers of its own; after logout that value must be gone and the
  protected page must turn the session away.

  Whether a copy of the cookie taken before logout still works afterwards
  depends on where sessions live. A server-side store (Flask-Session) must
  forget the session at logout, so the copy is worthless. Flask's own
  sessions live in the signed cookie, and the server keeps nothing it could
  forget: the copy keeps working until it expires. That is not a bug in the
  app but a property of signed-cookie sessions, so the kit warns about it
  instead of failing, and names the remedies.

  @WSTG-SESS-06 @ASVS4-3.3.1
  Scenario: Logging out deletes the session cookie or leaves no identity in it
    Given Alice has logged in
    When Alice logs out
    Then Alice's session cookie is deleted or no longer holds her identity

  @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: A session cookie copied before logout is worthless after it
    Given Alice has logged in
    And Mallory has copied Alice's session cookie
    When Alice logs out
    Then Mallory cannot get in as Alice with the copied cookie
