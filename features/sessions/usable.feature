@sessions @persistence
Feature: The app's sessions work at all
  Flask's default session is a cookie signed with SECRET_KEY. An app with no
  key reads every session as empty (SES-04) and raises RuntimeError on every
  write (SES-05): nobody can stay logged in. Flask-Session's server-side
  stores need no key. The kit says it once, here, as a failed behaviour, and
  reports every other session scenario as not applicable, because none of
  them can run on sessions that cannot hold anything.

  The kit decides this from a real write, not from app.secret_key: a session
  interface that signs Flask's cookie with a key of its own works without
  SECRET_KEY. Its sessions are usable and every scenario runs; those about
  setting or rotating SECRET_KEY are not applicable, since that key signs
  nothing there.

  @SES-05
  Scenario: A visitor's session keeps a value from one request to the next
    When Alice tries to store "blue" under "colour" in the session
    Then the app kept "blue" under "colour" in Alice's session
