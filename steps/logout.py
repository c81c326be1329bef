"""Steps for the logout features."""
