"""Binds every scenario in the feature files to a pytest test."""

from pytest_bdd import scenarios

from flask_conformance.layout import FEATURES_DIR

scenarios(str(FEATURES_DIR))
