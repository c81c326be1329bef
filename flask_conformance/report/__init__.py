"""Reports for reviewers: HTML, Markdown, Cucumber JSON and JUnit XML.

:mod:`.collect` gathers one record per scenario run through pytest hooks that
work in xdist workers, and the controller writes every ``--report`` file from
those records when the run ends. Each writer is a module of its own.
"""
