@sessions @security @WSTG-SESS-01 @ASVS4-3.5.3 @ASVS5-9.1.1
Feature: The signing keys are secret, and a cookie signed with any other key is refused
  Flask trusts a session cookie because of one thing: its signature, made
  with SECRET_KEY (or, since Flask 3.1, a key kept in SECRET_KEY_FALLBACKS).
  Whoever knows one of those keys can write any session the app will believe,
  "admin" included (K-02). And a key does not have to leak to be known:
  flask-unsign tries a published wordlist of keys found in real code (Flask's
  tutorial key "dev" among them) against one captured cookie, offline, in
  about a second, and any key short enough falls to a brute force.

  So the kit reads the app's keys from the app object and checks each one
  against that wordlist and against a length and variety rule. It never
  prints a key: its findings name the setting, "SECRET_KEY" or
  "SECRET_KEY_FALLBACKS[1]". A key in the wordlist, or one that a brute force
  finds, fails; a key that is merely shorter than Flask's docs advise (32
  characters, as secrets.token_hex() gives 64) is a warning.

  Then it plays the attacker: it cracks a real session cookie with the
  wordlist and, whether or not that worked, sends a cookie signed with what it
  found (or with a wordlist key) or with its payload rewritten. Neither may be
  accepted. Flask-Session's store puts only a random id in the cookie, which
  no key signs, so the forgery scenarios are about signed cookies only.

  The crack gives the attacker's answer without the attacker's work when the
  app signs with Flask's own serializer: such a cookie can only be signed
  with one of the app's keys, so the kit looks those up in the wordlist and
  checks each hit against the cookie. A session interface that signs cookies
  by itself gets every word tried.

  Scenario: No signing key is one of the published keys flask-unsign tries
    Then none of the app's signing keys is in the flask-unsign wordlist

  Scenario: Every signing key is long and varied enough to resist a brute force
    Then every one of the app's signing keys is long and varied enough

  @cookie-only
  Scenario Outline: A forged session cookie is not accepted
    Given Alice has stored "alice" under "user" in the session
    When Mallory sends Alice's session cookie <forged>, naming "admin" under "user"
    Then the app does not believe Mallory's forged cookie

    Examples:
      | forged                                                         |
      | re-signed with a key cracked from it with the flask-unsign wordlist |
      | with its payload altered and its signature kept                |
