"""Build steps, quality gates and measurement: what the Makefile runs besides the servers."""
