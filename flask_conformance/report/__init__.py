"""Reports for reviewers: HTML, Markdown, Cucumber JSON, JUnit XML and SARIF.

:mod:`.collect` gathers one record per scenario run through pytest hooks that
work in xdist workers (:mod:`.record` says what a record holds, :mod:`.evidence`
what an HTTP exchange may show), and the controller writes every ``--report``
file from those records when the run ends (:mod:`.files`). :mod:`.model` is
the run as every writer reads it; each writer is a module of its own.
"""
