"""Steps for the hooks features."""
