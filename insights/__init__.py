"""The owner's view: how the assistant is used, read from the conversations in the tracker store.

Plain Python over SQLAlchemy, importing no Rasa, so `make insights` starts at once:

- events.py: the two queries on Rasa's `events` table (the same SQL for SQLite and PostgreSQL);
- conversations.py: each conversation's events walked into turns, interviews and results;
- figures.py: the figures for a period, for every channel and each one (rest, widget, slack);
- grouping.py: the messages it could not answer, grouped by similarity;
- privacy.py: conversation ids hashed, e-mail addresses and phone numbers masked;
- report.py: all of it, from a database to an `Insights`;
- tables.py and page.py: the report as terminal tables and as a self-contained HTML page.

The Rasa server serves the page at /insights/ (channels/insights.py); `make insights` runs
tools/insights.py.
"""
