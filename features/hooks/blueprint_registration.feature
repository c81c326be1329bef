@hooks @blueprints @documents-flask
Feature: Where a blueprint's pages, commands and files end up when an app registers it
  Registering a blueprint does more than merge its hooks. Flask also works out
  where its pages live and what it is called, and that decides which URL, host
  and command reach them:

  - A blueprint nested in another one joins its parent's subdomain: the
    child's own subdomain comes first, so a "v1" child of an "api" parent
    answers on v1.api.example.test. A child with no subdomain of its own
    answers on its parent's, and a parent with none leaves the child's as it
    is (BP-01, new here: Blueprint.register, since Flask 2.3; Flask 3.1
    matches subdomains only for an app built with subdomain_matching=True).
  - Two blueprints cannot share a name, and one blueprint cannot be
    registered twice under the same name: the name is how url_for and every
    hook find it. The second registration is refused with a ValueError that
    names the name and says to pass name= (BP-02, an error since Flask 2.1).
  - A blueprint's CLI commands join the app's flask command: in a group named
    after the blueprint by default, at the top level with cli_group=None, or
    in the group cli_group names (BP-03).
  - A blueprint with a static folder serves it below its own URL prefix
    (BP-04).

  None of this can change once an app has served (H-16), so these scenarios
  document Flask itself, on small apps the kit builds for each question.

  @BP-01
  Scenario Outline: A nested blueprint answers on its own subdomain joined to its parent's
    Given an app with a blueprint on the subdomain <parent>, with a child blueprint built for the subdomain <child>
    When a visitor asks for the child's page on each host
    Then only <host> answers it

    Examples:
      | parent | child | host                |
      | api    | v1    | v1.api.example.test |
      | api    | none  | api.example.test    |
      | none   | v1    | v1.example.test     |

  @BP-02
  Scenario Outline: An app refuses a second blueprint under a name it already has
    When an app that has registered a blueprint named auth registers <second> under that name
    Then the app refuses it with a ValueError saying "<message>"

    Examples:
      | second             | message                                                         |
      | another blueprint  | The name 'auth' is already registered for a different blueprint |
      | the same blueprint | The name 'auth' is already registered for this blueprint        |

  @BP-03
  Scenario Outline: A blueprint's CLI commands join the app's flask command
    Given an app with a blueprint named tools, built with <built_with>, that has a command hello
    When someone runs "<command>"
    Then the blueprint's command answers

    Examples:
      | built_with        | command           |
      | no cli_group      | flask tools hello |
      | cli_group=None    | flask hello       |
      | cli_group="admin" | flask admin hello |

  @BP-04
  Scenario: A blueprint serves its static files below its own URL prefix
    Given an app with a blueprint at /shop whose static folder, served at /assets, holds style.css
    When a visitor asks for /shop/assets/style.css
    Then the app answers with the file's content
