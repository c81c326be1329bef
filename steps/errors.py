"""Steps for the errors features."""
