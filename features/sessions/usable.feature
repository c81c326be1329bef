@sessions @persistence
Feature: The app's sessions work at all
  Flask's default session is a cookie signed with SECRET_KEY. An app with no
  key reads every session as empty (SES-04) and raises RuntimeError on every
  write (SES-05): nobody can stay logged in. Flask-Session's server-side
  stores need no key. The kit says it once, here, as a failed behaviour, and
  reports every other session scenario as not applicable, because none of
  them can run on sessions that cannot hold anything.

  @SES-05
  Scenario: A visitor's session keeps a value from one request to the next
    When Alice tries to store "blue" under "colour" in the session
    Then the app kept "blue" under "colour" in Alice's session
