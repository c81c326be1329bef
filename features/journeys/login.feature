@journey
Feature: Logging in lets the user in, and keeps them in
  These scenarios use the app's own login page, as its journey profile
  describes it (see examples/flaskr.toml); without a profile they are not
  applicable. Logging in usually writes the user's id into the session; the
  session cookie carries it (or, with a server-side store, the id of the
  session that holds it) on every later request, so the protected pages admit
  the user until they log out or the session expires. A login that holds for
  one page only, or that never reaches the cookie, leaves users logged out
  while they think they are logged in.

  The kit logs in far more often than a person, with the same credentials,
  from one client. An app that limits logins (a rate limit, a lockout) refuses
  some of those logins, and that protects it: a login that admitted the user
  when the kit checked the profile and no longer does, or that the app answers
  429 Too Many Requests, makes the scenario not applicable, saying so, in every
  journey. A login that fails with a server error is never excused.

  A session cookie the app cannot trust any more (its signature spoiled, or
  replaced by garbage) gives a new, empty session, and that session takes
  the next login like any other (K-08): the user is logged out, never locked
  out.

  Scenario: Before logging in, the protected page turns the visitor away
    Then Alice is turned away from the dashboard

  Scenario: After logging in, the protected page admits the user as themselves
    When Alice logs in
    Then the dashboard admits Alice as herself

  Scenario: A login lasts for the requests that follow it
    Given Alice has logged in
    Then Alice is still logged in on each of her next 3 visits

  @K-08
  Scenario Outline: After her session cookie was spoiled, Alice can log in again
    Given Alice has logged in
    And Alice has come back with her session cookie tampered with: <alteration>
    When Alice logs in
    Then the dashboard admits Alice as herself

    Examples:
      | alteration                             |
      | one character of the signature changed |
      | replaced by garbage                    |
