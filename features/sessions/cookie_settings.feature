@sessions @cookie-settings
Feature: The session cookie is written the way the app configured it
  Where a browser sends the session cookie is decided by the attributes of
  its Set-Cookie header, and an app chooses them in its config: each
  SESSION_COOKIE_* setting becomes one attribute, SameSite title-cased and
  HttpOnly left out when it is off (CK-03). With no SESSION_COOKIE_PATH the
  cookie is scoped to APPLICATION_ROOT, so an app mounted under /shop does
  not send its cookie to its neighbours (CK-04). Flask 3.1 added
  SESSION_COOKIE_PARTITIONED, which asks for a cookie partitioned by the site
  that embeds the app (CHIPS); Werkzeug makes every partitioned cookie Secure
  (CK-06). Flask-Session writes its id cookie from the same settings, except
  that Flask-Session 0.8 does not pass Partitioned on.

  A browser forgets a cookie only when the deletion names the same Domain and
  Path as the cookie it holds: a deletion sent for another Domain or Path
  leaves the old cookie in place, and the visitor keeps her session. Flask's
  deletion cookie therefore carries the app's Domain and Path (CK-09).

  The checks in features/security/cookie_attributes.feature judge the app's
  own choices as security advice (no SameSite is a warning there). These
  scenarios judge something else, with a plain pass or fail: whatever the app
  configures is what its cookie carries. The kit sets each value for one
  scenario and puts the app's own config back afterwards.

  The settings are the contract of Flask's signed-cookie interface and of
  Flask-Session's, and of any subclass of them, even one that writes the
  cookie itself: such an interface that drops an attribute silently ignores
  what the app asked for, and fails. A session interface of the app's own,
  built on neither, writes the attributes its authors chose, and an
  interface that decides one attribute in its own code (an overridden
  get_cookie_samesite) does not take that one from the config: the scenarios
  do not apply to them, saying so. Some such getters can only answer once a
  request has gone through the app (Calibre-Web scopes its cookie to the
  prefix its proxy middleware last saw, whatever APPLICATION_ROOT says); they
  are asked again after the scenario's request. The cookie must still carry
  what the app's own getter answers: one that does not fails. An app whose
  own hook puts its value back while it answers (Flask-Talisman sets
  SESSION_COOKIE_SECURE = True on every request) never wrote its cookie with
  the kit's value: the scenario does not apply, naming the setting.

  @CK-03
  Scenario Outline: The session cookie carries <attribute> when the app sets <setting> to <value>
    Given the app sets <setting> to <value>
    When Alice stores "blue" under "colour" in the session
    Then the response's session cookie carries <attribute>

    Examples:
      | setting                 | value          | attribute           |
      | SESSION_COOKIE_SAMESITE | "Strict"       | SameSite=Strict     |
      | SESSION_COOKIE_SAMESITE | "Lax"          | SameSite=Lax        |
      | SESSION_COOKIE_SAMESITE | "None"         | SameSite=None       |
      | SESSION_COOKIE_DOMAIN   | "example.test" | Domain=example.test |
      | SESSION_COOKIE_PATH     | "/shop"        | Path=/shop          |
      | SESSION_COOKIE_SECURE   | True           | Secure              |
      | SESSION_COOKIE_HTTPONLY | False          | no HttpOnly         |

  @CK-03
  Scenario: With no SameSite setting the session cookie says nothing about SameSite
    Given the app sets SESSION_COOKIE_SAMESITE to None
    When Alice stores "blue" under "colour" in the session
    Then the response's session cookie carries no SameSite

  @CK-04
  Scenario: With no cookie path of its own, the session cookie is scoped to the app's root
    Given the app sets SESSION_COOKIE_PATH to None
    And the app sets APPLICATION_ROOT to "/shop"
    When Alice stores "blue" under "colour" in the session
    Then the response's session cookie carries Path=/shop

  @CK-06 @flask-3.1+ @backend-difference
  Scenario: A partitioned session cookie is also Secure, where the store passes the setting on
    Given the app sets SESSION_COOKIE_SECURE to False
    And the app sets SESSION_COOKIE_PARTITIONED to True
    When Alice stores "blue" under "colour" in the session
    Then what the response's session cookie carries depends on the backend:
      | backend | carries                    | why                                                                             |
      | cookie  | Partitioned, Secure        | Flask passes the setting to Werkzeug, which makes every partitioned cookie Secure |
      | redis   | no Partitioned, no Secure  | Flask-Session 0.8 writes its cookie without SESSION_COOKIE_PARTITIONED          |

  @CK-09 @W-04
  Scenario: Clearing the session deletes the cookie for the Domain and Path the app set it for
    Given the app sets SESSION_COOKIE_DOMAIN to "example.test"
    And the app sets SESSION_COOKIE_PATH to "/shop"
    When Alice clears her session
    Then the response deletes the session cookie
    And the response's session cookie carries Domain=example.test, Path=/shop
