"""Step definitions for the features, one module per feature area.

Steps are thin: each one names an action or a check in the scenario's words and
delegates to a visitor (:mod:`flask_conformance.drive.visitors`) or a check helper in
:mod:`steps.checks`. State moves between steps through pytest fixtures
(``visitors``, ``clock``, ``app_under_test``) and ``target_fixture``\\ s.
"""
