@sessions @security
Feature: Logout races a request in flight, and a session store can go down
  These scenarios document what happens rather than what should: a reviewer
  needs to know both before trusting "logout ends the session".

  A browser sends requests in parallel. When a slow request is still running
  as the visitor logs out, its response arrives after the logout's, and the
  browser keeps the cookie it was sent last. Flask saves the session at the
  end of each request from what that request loaded at its start, so the last
  write wins: a request that loaded the logged-in session before the logout
  and writes to it afterwards puts the whole old session back. With signed
  cookies it sends it back to the browser; with Flask-Session it also writes
  it back into the store under the old id.

  A request that only reads the session writes nothing, with one exception
  that covers most logins: a permanent session (session.permanent = True at
  login, or Flask-Session's default). While SESSION_REFRESH_EACH_REQUEST is on,
  Flask's default, Flask sends a permanent session's cookie on every response,
  a read-only one too, to push its expiry forward; Flask-Session also writes
  the session back to its store. The late read-only response then carries the
  old session back, just as a write does. An app whose own hooks write the
  session on every request turns every request into a write as well. So a
  read-only request undoes the logout exactly when its response sends the
  session back: that is Flask's behaviour and gets the same warning as the
  write. Flask-Session goes further: while SESSION_REFRESH_EACH_REQUEST is
  on it saves every session it loaded back to its store at the end of the
  request, a session that is not permanent too, and sends no cookie for it.
  Where logout leaves the session behind (emptied of the login but holding a
  flashed message or a CSRF token, so the id lives on), the late read-only
  request restores the login under that id: the visitor is turned away after
  logout and let in once it ends, and that gets the same warning. A user let
  in already before the late request ended, when nothing was sent back, fails:
  the logout did not end the session.

  The first scenario states what Flask and Flask-Session do. It is tagged
  documents-flask: it runs on the kit's own reference app, on both stores,
  whatever app is checked, so its outcome is Flask's and it is reported apart
  from the app's results. The second judges the app under test: an app whose
  logout the late write undoes gets a warning (a failure with --strict),
  since that is Flask's own behaviour and no defect of the app's code; an app
  that revokes sessions on the server (a per-user logout counter it checks,
  say) keeps the user out and passes.

  Flask-Session keeps sessions in a store that can fail. When Redis does not
  answer, Flask-Session does not fall back to an empty session: a visitor who
  has a session gets a server error (redis' ConnectionError, then an
  AttributeError while saving), and the session is back when the store is.

  @journey @documents-flask @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1 @backend-difference
  Scenario: On Flask's own sessions, a request that writes and ends after logout logs the user back in
    Given Alice has logged in
    And a request of Alice's that writes to the session is still running
    When Alice logs out
    And Alice's running request ends
    Then whether Alice is logged in again depends on the backend:
      | backend | logged in again | why                                                                            |
      | cookie  | yes             | the late response carries the whole old session, and the browser keeps the last cookie |
      | redis   | yes             | Flask-Session saves the session the request loaded back under the old id          |

  @journey @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: A request that writes to the session and ends after logout does not log the user back in
    Given Alice has logged in
    And a request of Alice's that writes to the session is still running
    When Alice logs out
    And Alice's running request ends
    Then Alice is still logged out, or the kit warns that a late write undoes the logout

  @journey @WSTG-SESS-06 @ASVS4-3.3.1 @ASVS5-7.4.1
  Scenario: A request that only reads the session and ends after logout undoes it only by sending the session back
    Given Alice has logged in
    And a request of Alice's that only reads the session is still running
    When Alice logs out
    And Alice's running request ends
    Then Alice is logged in again only if the late response sent her session back

  @redis-only
  Scenario: While the store is down, a visitor with a session gets a server error
    Given Alice has stored "blue" under "colour" in the session
    When the session store stops answering
    And Alice's next request reads her session
    Then Alice's request failed because the session store did not answer

  @redis-only
  Scenario: When the store answers again, the session is back
    Given Alice has stored "blue" under "colour" in the session
    And the session store has stopped answering
    And Alice's next request has read her session while the store was down
    When the session store answers again
    Then Alice's session holds "blue" under "colour"
