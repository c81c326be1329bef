"""Steps for the keys features."""
