"""Shared by the tests, `make bench` and `make loadtest`: start the real servers and clusters of them on free ports."""
