"""No tables: a job's own progress lives in the rows of the domain that asked for it."""
