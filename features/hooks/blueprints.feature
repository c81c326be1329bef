@hooks @blueprints
Feature: A blueprint's hooks join the app's when the app registers it
  A blueprint records what it is given (routes, hooks, URL processors,
  context processors, error handlers) and hands it all to the app when the app
  registers it. Flask files each hook under the name the blueprint was
  registered as, so that it runs only for the requests that blueprint, or a
  blueprint nested in it, handles (H-05). The app_* variants go into the app's
  own lists instead and run for every request (H-04): before_app_request,
  after_app_request, teardown_app_request, app_url_value_preprocessor,
  app_url_defaults, app_context_processor and app_errorhandler are how an
  extension or a shared blueprint reaches pages that are not its own.
  features/hooks/ordering.feature pins the order of the request hooks; this
  feature pins the other ways a blueprint's functions join the app.

  - url_defaults run only when a URL is built with url_for, never per request:
    the app's first, then those of the blueprints of the endpoint the URL is
    for, outer to inner (H-10). That is how an app fills in the language code
    of every link without passing it each time.
  - Context processors run when a template is rendered: the app's first, then
    those of the request's blueprints, outer to inner, so the innermost one
    wins a name they share, and a value the view passes itself wins over them
    all (H-14).
  - An app_errorhandler answers its error on every page of the app, not only
    on the pages of the blueprint that registered it (H-21, new here:
    Blueprint.app_errorhandler).
  - A blueprint can be registered twice under two names, to mount the same
    pages twice (an API under /v1 and /v2). Each registration gets the
    blueprint's hooks under its own name, and its app-wide hooks join the app
    once, not once per registration (H-20, new here: Blueprint.register,
    Flask 2.0.1 and later).

  The kit's probe brings blueprints of its own for this: a parent blueprint
  with a child nested in it, each with url_defaults and a context processor,
  and one "twin" blueprint registered twice, as twin_a and as twin_b. What
  they add to the app's own lists does nothing for the app's own pages. Every
  template also gets the app's own context processors: where one of them fails
  every render (Flask-Login's, in an app without a user_loader), no template
  renders at all, and the context processor scenarios are not applicable,
  naming that function.

  @H-10
  Scenario Outline: Building a URL runs the url_defaults of the app and of the endpoint's blueprints, outer first
    When Alice's traced request builds the URL of a page of the <blueprint>
    Then its url_defaults functions ran in the order <order>

    Examples:
      | blueprint        | order                                  |
      | child blueprint  | app, parent blueprint, child blueprint |
      | parent blueprint | app, parent blueprint                  |

  @H-10
  Scenario: A request that builds no URL runs no url_defaults
    When Alice's traced request goes to a page of the child blueprint that builds no URL and renders no template
    Then no url_defaults function ran

  @H-14
  Scenario Outline: A template gets the context processors of the app and of the request's blueprints, outer first
    When Alice's traced request renders a template on a page of the <blueprint>
    Then its context_processor functions ran in the order <order>
    And the page shows the value "<shown>" that the innermost context processor gave

    Examples:
      | blueprint        | order                                  | shown            |
      | child blueprint  | app, parent blueprint, child blueprint | child blueprint  |
      | parent blueprint | app, parent blueprint                  | parent blueprint |
      | twin blueprint   | app                                    | app              |

  @H-14
  Scenario: A value the view passes to its template wins over every context processor
    When Alice's traced request renders a template with a value of the view's own on a page of the child blueprint
    Then the page shows the value "view" that the view passed

  @H-21
  Scenario: A blueprint's app_errorhandler answers its error on the pages of another blueprint
    When Alice's traced request to a page of the twin blueprint raises the error the parent blueprint registered an app_errorhandler for
    Then the response was made by the parent blueprint's app_errorhandler

  @H-20 @H-05
  Scenario Outline: A blueprint registered twice runs its own hooks for the pages of each registration
    When Alice's traced request goes to the page of the twin blueprint registered as <name>
    Then the page was answered by the twin blueprint registered as <name>
    And the twin blueprint's before_request ran once, registered as <name>

    Examples:
      | name   |
      | twin_a |
      | twin_b |

  @H-20 @H-04
  Scenario: A blueprint registered twice adds its app-wide hooks to the app once
    When Alice's traced request goes to the page of the twin blueprint registered as twin_b
    Then the twin blueprint's before_app_request ran once
