"""Custom actions: thin adapters between Rasa and the plain-Python core in bot/."""
