"""Rasa input channels of our own (the one place in bot/ allowed to import Rasa)."""
