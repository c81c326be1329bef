@hooks @setup
Feature: An app is set up before it serves, and refuses more setup once it has
  Everything an app does around its requests is registered while it is built:
  routes, blueprints, before_request and after_request functions, teardowns,
  URL processors, context processors and error handlers. Once the app has
  answered its first request, Flask refuses every one of these setup methods
  with an AssertionError that names the method: "The setup method
  'before_request' can no longer be called on the application. It has
  already handled its first request" (H-16, the same on Flask 2.3, 3.0 and
  3.1). A hook registered later would apply to some requests and not others,
  and, with several worker processes, to some workers and not others, so
  Flask makes the mistake loud instead of letting it half work. A blueprint
  likewise refuses more setup once it has been registered: the app copied
  its hooks when it registered it, and later ones would never reach the app.

  A Flask subclass can change the refusal, so the scenarios ask the app under
  test itself. What they ask for does nothing even if it were accepted (a
  before_request that returns None, an error handler for an exception nobody
  raises), and whatever the app accepts is taken out again at once, so the
  app is left exactly as it was for the other scenarios. Routes and blueprints
  are asked for in a shape that stops before the URL map if Flask lets them
  through (a rule without its leading slash, a blueprint under a name already
  taken), since a rule cannot be taken out of the map again.

  While the app is set up, every setup decorator gives back the very function
  it was given (H-19, new here: setupmethod and each decorator in
  sansio/scaffold.py and sansio/blueprints.py). That is what lets decorators
  stack (two @app.route lines on one view), and a hook stay importable and
  callable by its name, in a unit test for instance. A decorator that gave
  back nothing would leave None where the function was.

  An error handler is taken only for an exception class or an HTTP error code
  that Werkzeug knows; anything else is refused at once, naming what was
  wrong, instead of a handler that would never run (H-22, new here:
  Scaffold._get_exc_class_and_code).

  These two, and a registered blueprint's refusal, happen while an app is
  built, which the app under test is long past: their scenarios document
  Flask itself, on a new app the kit builds.

  @H-16
  Scenario Outline: Once it has answered a request, the app refuses a new <setup>
    Given the app has answered its first request
    When someone registers <setup> on the app
    Then the app refuses it, naming the setup method <method>

    Examples: Request hooks
      | setup                        | method                 |
      | before_request function      | before_request         |
      | after_request function       | after_request          |
      | teardown_request function    | teardown_request       |
      | teardown_appcontext function | teardown_appcontext    |
      | url_value_preprocessor       | url_value_preprocessor |
      | url_defaults function        | url_defaults           |
      | context processor            | context_processor      |
      | error handler                | errorhandler           |

    Examples: Routes and blueprints
      | setup     | method             |
      | route     | route              |
      | URL rule  | add_url_rule       |
      | blueprint | register_blueprint |

  @H-16 @documents-flask
  Scenario: A blueprint refuses new hooks once an app has registered it
    Given a blueprint that an app has registered
    When someone adds a before_request function to that blueprint
    Then the blueprint refuses it, naming the setup method before_request and the blueprint

  @H-19 @documents-flask
  Scenario Outline: A setup decorator gives back the function it registered
    Given an app that has not served yet, and a blueprint it has not registered
    When the <owner>'s <decorator> decorator registers a function
    Then the decorator gave back that very function

    Examples: On the app
      | owner | decorator              |
      | app   | route                  |
      | app   | before_request         |
      | app   | after_request          |
      | app   | teardown_request       |
      | app   | teardown_appcontext    |
      | app   | url_value_preprocessor |
      | app   | url_defaults           |
      | app   | context_processor      |
      | app   | errorhandler           |

    Examples: On a blueprint, for its own requests and for every request
      | owner     | decorator                  |
      | blueprint | route                      |
      | blueprint | before_request             |
      | blueprint | after_request              |
      | blueprint | teardown_request           |
      | blueprint | errorhandler               |
      | blueprint | before_app_request         |
      | blueprint | after_app_request          |
      | blueprint | teardown_app_request       |
      | blueprint | app_errorhandler           |
      | blueprint | app_url_value_preprocessor |
      | blueprint | app_url_defaults           |
      | blueprint | app_context_processor      |

  @H-22 @documents-flask
  Scenario Outline: An app refuses an error handler for something that is not an error
    Given an app that has not served yet, and a blueprint it has not registered
    When the app registers an error handler for <key>
    Then the app refuses it with <error> saying "<message>"

    Examples:
      | key                                         | error      | message                                   |
      | the number 999, which is no HTTP error code | ValueError | '999' is not a recognized HTTP error code |
      | an exception instance instead of its class  | TypeError  | is an instance, not a class               |
      | str, which is no exception class            | ValueError | 'str' is not a subclass of Exception      |
