"""Rasa input channels of our own (with bot/stores, the places in bot/ allowed to import Rasa)."""
