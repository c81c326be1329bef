"""Steps for the context features."""
