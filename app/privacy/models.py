"""The privacy domain has no tables of its own: it reads and erases the other domains' rows."""
