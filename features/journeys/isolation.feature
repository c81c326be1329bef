@journey
Feature: One user's session never shows in another user's browser
  Flask keeps per-request state on g and per-user state in the session; an
  app that keeps the current user anywhere else (a module-level variable, a
  cache keyed by nothing) shows one user's identity to the next visitor. Each
  visitor here has a browser of their own (see also the isolation scenario in
  features/sessions/logout.feature). Alice logs in within the scenario rather
  than starting logged in: what her login does on the server is what must not
  reach anyone else.

  Scenario: A visitor who has not logged in sees nothing of a logged-in user
    When Alice logs in
    Then the dashboard admits Alice as herself
    And Bob, who has not logged in, is turned away and sees nothing of Alice
