"""How the kit acts on the app: its probe, browsers, visitors, clock and held requests."""
