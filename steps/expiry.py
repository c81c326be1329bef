"""Steps for the expiry features."""
