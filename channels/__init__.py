"""Rasa input channels of our own (REST, the website widget over socket.io, Slack), each with its plain-Python helpers beside it."""
