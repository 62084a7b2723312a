"""The shop's people: signing in with a PIN, the roster, who is an active guide."""
