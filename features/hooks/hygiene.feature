@hooks @hygiene
Feature: The app's own hooks keep the contracts Flask calls them with
  Flask calls an app's hooks in fixed ways, whatever the hook looks like.
  Every teardown_request and teardown_appcontext function is called with one
  argument, the exception or None, at the end of every request and every app
  context (E-08): one written without a parameter raises TypeError each time,
  and a real server answers 500 with the page lost. A url_value_preprocessor is
  called with the endpoint and the URL values, (None, None) on a 404 (H-09).
  A teardown also runs for requests that stored nothing on g, so one that
  assumes g.db is there crashes on every page that never opened the database,
  and the teardowns after it never run (E-07).

  The first before_request that returns anything but None becomes the
  response (H-06), and before_request runs for static files and for URLs that
  no route matches too (H-08). A login gate that *renders* a page instead of
  returning None answers every request itself: a URL that should be 404 gets
  200, the stylesheet is served as login markup and the login form never
  reaches its view. A gate that redirects anonymous visitors and lets the
  login page and static files through is the pattern Flask's docs teach, and
  passes every check below.

  These checks look at the app under test's own hooks, the ones the hook trace
  at the end of a run lists: their signatures, and what they do with a
  request for a URL that no route matches, a static file and the login page.

  @E-08
  Scenario: Every teardown function takes the exception Flask passes it
    When a visitor asks for a URL that no route matches
    Then each teardown function of the app takes the exception argument

  @H-09
  Scenario: Every url_value_preprocessor takes the endpoint and the URL values
    When a visitor asks for a URL that no route matches
    Then each url_value_preprocessor of the app takes the endpoint and the values

  @E-07
  Scenario: Teardown functions cope with a request that stored nothing on g
    When a visitor asks for a URL that no route matches
    Then no teardown function of the app failed

  @H-06 @H-08
  Scenario: A URL that no route matches still gets a 404, not a page
    When a visitor asks for a URL that no route matches
    Then the app answers 404, or sends the visitor to log in

  @H-06 @H-08
  Scenario: Static files get past the app's before_request functions
    When an anonymous visitor asks for one of the app's static files
    Then the app serves the file itself

  @H-06
  Scenario: The login page gets past the app's before_request functions
    A login by HTTP authentication (Flask-HTTPAuth's login_required on the
    login view) answers 401 with WWW-Authenticate from the view itself: that
    challenge is where the browser asks for the password, so it is the login
    page, reached past every before_request.
    When an anonymous visitor asks for the app's login page
    Then the app's login view answers
