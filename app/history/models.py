"""The history import has no tables of its own: it writes sessions, people and enrolments."""
