"""``python -m flask_conformance`` is the ``flask-conformance`` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="flask-conformance")
