"""The two server entry points (Rasa and actions), what they write and check at start, and our patches of Rasa."""
