"""Rasa tracker and lock stores of our own (adapters: they import Rasa; their settings are bot/store_settings.py)."""
