"""An app that never sets SECRET_KEY: Flask opens a NullSession, so reads are
empty and every write raises RuntimeError (SES-04, SES-05). Its sessions are
unusable; the kit must say so once and not run the other session scenarios."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    return Flask(__name__)
