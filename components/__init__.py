"""Rasa NLU components of our own (the only Rasa-facing code besides actions/ and channels)."""
