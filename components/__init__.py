"""Rasa NLU components of our own (Rasa-facing code, like actions/, channels/, server/ and stores/; bot/ imports no Rasa)."""
