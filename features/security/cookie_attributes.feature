@sessions @security @WSTG-SESS-02
Feature: The session cookie carries the attributes that keep it in its owner's browser
  A session cookie is as good as a password for as long as it lives, so where
  the browser sends it matters as much as what it holds. The Set-Cookie
  header decides that: Secure keeps it off plain http, HttpOnly keeps it from
  scripts, SameSite keeps other sites from riding on it, the __Host- prefix
  keeps subdomains from planting or overwriting it, Domain and Path limit
  where it goes, and a cookie over about 4 KB is silently dropped.

  Flask's defaults give only HttpOnly and Path=/ (CK-02): Secure and SameSite
  are for the app to set (SESSION_COOKIE_SECURE, SESSION_COOKIE_SAMESITE).
  Flask-Session writes its id cookie from the same settings (T-12).
  Flask-Login's remember cookie has settings of its own (REMEMBER_COOKIE_*),
  and outlives the session by a year by default, so it is checked the same
  way.

  The kit reads the real Set-Cookie of the login response when the app has a
  journey profile, and otherwise of a request that stores a value in the
  session. A missing Secure or HttpOnly, a SameSite=None that browsers reject
  and an oversized cookie fail; no SameSite, a Domain, a broad Path and no
  __Host- prefix are warnings, for a reviewer to weigh (they fail with
  --strict). The remember cookie is not applicable unless the login gives one.

  @ASVS4-3.4.1 @ASVS5-3.3.1
  Scenario Outline: The <cookie> is only ever sent over https
    Given Alice has just been given the <cookie>
    Then the <cookie> is marked Secure

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |

  @ASVS4-3.4.2 @ASVS5-3.3.4
  Scenario Outline: Scripts on the page cannot read the <cookie>
    Given Alice has just been given the <cookie>
    Then the <cookie> is marked HttpOnly

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |

  @ASVS4-3.4.3 @ASVS5-3.3.2
  Scenario Outline: The <cookie> says when other sites may send it
    Given Alice has just been given the <cookie>
    Then the <cookie> has a SameSite attribute that browsers accept

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |

  @ASVS4-3.4.4 @ASVS5-3.3.1 @ASVS5-3.3.3
  Scenario Outline: The <cookie>'s name binds it to this host
    Given Alice has just been given the <cookie>
    Then the <cookie>'s name has the __Host- prefix

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |

  @ASVS4-3.4.5
  Scenario Outline: The <cookie> goes to this app only
    Given Alice has just been given the <cookie>
    Then the <cookie>'s Domain and Path go no wider than the app

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |

  @ASVS5-3.3.5
  Scenario Outline: The <cookie> is small enough for browsers to keep
    Given Alice has just been given the <cookie>
    Then the <cookie> fits in the 4093 bytes browsers keep

    Examples:
      | cookie          |
      | session cookie  |
      | remember cookie |
