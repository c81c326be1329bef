@sessions @keys @WSTG-SESS-01
Feature: A visitor cannot change what their session holds by changing the cookie
  Whatever the store, the session cookie is in the visitor's hands, and a
  tester (or an attacker) will change it: flip a character, strip the
  signature off, put someone else's data under their own signature, or simply
  decode a readable payload, change a value and encode it back. Flask's
  signed cookie rejects all of that and starts an empty session (K-01); a
  server-side store only knows the ids it issued, so a changed id finds
  nothing. A session store that believes the changed cookie lets anyone make
  themselves "admin".

  These scenarios run on every app, whatever its session store. An alteration
  that needs a part the cookie does not have (a server-side store's opaque id
  has no payload and no signature) does not apply to it, and the run says so.

  "What she stored or nothing" is judged beside what the app keeps in every
  session by itself: an app whose own hook puts a key into every fresh
  session (which database is open, say) starts the rejected cookie's session
  with that key too. The kit learns those keys from a new visitor's session
  over HTTP; everything else must be her "alice" or nothing.

  Background:
    Given Alice has stored "alice" under "user" in the session

  Scenario Outline: A cookie changed by its holder never changes the session
    When Alice comes back with her session cookie tampered with: <tampering>
    Then Alice's session holds what she stored or nothing, never the tampered content

    Examples:
      | tampering                                                    |
      | a character flipped at the start                             |
      | a character flipped in the middle                            |
      | a character flipped at the end                               |
      | the payload changed to name "admin" and the signature stripped |
      | Bob's payload under her own signature                        |
      | the readable payload decoded, changed to name "admin" and re-encoded |
