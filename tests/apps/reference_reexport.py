"""The kit's reference app under another import string, as a project that
re-exports its factory from another module would name it. The kit must give it
exactly the verdicts it gives the reference app: nothing may depend on the
name the app was loaded by."""

from __future__ import annotations

from app_under_test import create_app

__all__ = ["create_app"]
