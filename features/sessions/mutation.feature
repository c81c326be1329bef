@sessions @mutation
Feature: Flask notices changes to the session, except changes made inside a stored value
  Flask's session is a dict that remembers whether it was changed. Every
  top-level change (assigning, deleting, pop, clear, update, setdefault of a
  new key) marks it modified, and a modified session is written back at the
  end of the request (M-01). Nothing has to set session.modified = True for
  that, whatever the 2018 article says.

  What Flask cannot see is a change made *inside* a stored value, such as
  appending to a list kept in the session: the session dict itself did not
  change. Such a change is lost unless the view sets session.modified = True
  (M-05), or unless the whole session is written back anyway, as Flask does for
  a permanent session when SESSION_REFRESH_EACH_REQUEST is on (M-06).
  Flask-Session writes a non-empty session back to Redis on every request when
  SESSION_REFRESH_EACH_REQUEST is on, permanent or not, so there the in-place
  change survives too.

  Operations that change nothing (pop of a missing key with a default,
  setdefault of a key that exists) do not mark the session modified, and the
  flag starts False again on every request (M-02, M-03, M-12).

  Background:
    Given Alice has stored "blue" under "colour" in the session
    And Alice has stored "M" under "size" in the session

  @M-01
  Scenario Outline: A top-level change is written back without setting session.modified
    When Alice <changes the session>
    Then the response <writes the cookie>
    And Alice's session <afterwards>

    Examples:
      | changes the session                                 | writes the cookie          | afterwards                   |
      | stores "red" under "colour" in the session          | sets the session cookie    | holds "red" under "colour"   |
      | deletes "colour" from her session                   | sets the session cookie    | has no "colour"              |
      | pops "colour" from her session                      | sets the session cookie    | has no "colour"              |
      | clears her session                                  | deletes the session cookie | is empty                     |
      | updates her session with "red" under "colour"       | sets the session cookie    | holds "red" under "colour"   |
      | sets a default of "slim" under "fit" in her session | sets the session cookie    | holds "slim" under "fit"     |

  @M-02 @session-left-alone
  Scenario: Popping a missing key with a default changes nothing and writes nothing
    When Alice pops "fit" from her session with a default
    Then the response sets no cookie
    And Alice's session holds "blue" under "colour"

  @M-03 @session-left-alone
  Scenario: setdefault on a key that exists changes nothing and writes nothing
    When Alice sets a default of "red" under "colour" in her session
    Then the response sets no cookie
    And Alice's session holds "blue" under "colour"

  @M-07
  Scenario: Setting session.modified without changing anything writes the cookie again
    When Alice marks her session modified without changing it
    Then the response sets the session cookie
    And Alice's session holds "blue" under "colour"

  @M-12 @session-left-alone
  Scenario: The modified flag does not carry over to the next request
    Given Alice has marked her session modified without changing it
    When Alice's request reads the session with session.get("colour")
    Then the response sets no cookie

  @M-05 @M-06 @backend-difference @session-left-alone
  Scenario Outline: Whether a change made inside a stored list survives
    Given Alice has a list holding "apple" under "basket" in the session
    And Alice's session <is or is not> permanent
    And the app has SESSION_REFRESH_EACH_REQUEST set to <refresh>
    When Alice appends "pear" to the list under "basket" in place<and marks it>
    Then what the list under "basket" holds afterwards depends on the backend:
      | backend | holds      |
      | cookie  | <cookie>   |
      | redis   | <redis>    |

    @M-05
    Examples: A non-permanent session
      | is or is not | refresh | and marks it                     | cookie      | redis       |
      | is not       | True    |                                  | apple       | apple, pear |
      | is not       | True    | , then sets session.modified     | apple, pear | apple, pear |
      | is not       | False   |                                  | apple       | apple       |
      | is not       | False   | , then sets session.modified     | apple, pear | apple, pear |

    @M-06
    Examples: A permanent session
      | is or is not | refresh | and marks it | cookie      | redis       |
      | is           | True    |              | apple, pear | apple, pear |
      | is           | False   |              | apple       | apple       |
