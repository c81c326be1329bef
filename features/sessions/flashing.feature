@sessions @persistence
Feature: A flashed message shows on the next page, once
  flash() is how a Flask app tells a visitor what just happened ("Your
  profile was saved") across a redirect. The message is kept in the session,
  under "_flashes", so it survives the end of the request that flashed it;
  get_flashed_messages() on a later page takes the messages out of the
  session, and the page after that shows none (M-11). On Flask's cookie
  sessions the messages travel in the cookie; with Flask-Session they wait in
  the store.

  A message that never shows is lost news; one that shows on every page is
  noise, and a message that survives a logout tells the next person what the
  last one did.

  @M-11
  Scenario: A message flashed in one request shows on the next page, once
    When Alice's request flashes "Your profile was saved"
    Then the next page Alice sees shows the message "Your profile was saved"
    And the page Alice sees after that shows no message

  @M-11
  Scenario: A flashed message waits in the session until a page shows it
    Given Alice's request has flashed "Your profile was saved"
    When Alice visits a page that never touches the session
    Then the next page Alice sees shows the message "Your profile was saved"
