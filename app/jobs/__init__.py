"""Background jobs: RQ on Redis, enqueued after commit; `flask jobs worker` runs them."""
