"""Rasa tracker and lock stores of our own (adapters: they import Rasa; their settings are stores/settings.py)."""
