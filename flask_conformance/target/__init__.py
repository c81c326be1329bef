"""The app under test: loading it from an import string, what it uses, its session store."""
