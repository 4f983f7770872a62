"""Rasa tracker and lock stores of our own (like bot/channels, a place in bot/ allowed to import Rasa)."""
