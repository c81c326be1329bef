"""The kit's own tests: known-bad apps fail the specs, and the runtime works."""
