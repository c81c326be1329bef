"""The app's own hooks: which run, in what order, and whether Flask calls them as written."""
