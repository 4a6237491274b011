#!/usr/bin/env bash
# `make run`'s last step: a Redis on a loopback socket in instance/, one job worker and the web
# server, after `flask doctor` has checked the machine. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${PORT:-5000}
export FLASK_APP=${FLASK_APP:-app}
pids=()

# Redis and the worker run in sessions of their own, so Ctrl-C reaches only the web server and
# this script, which then stops them once each, in reverse order: the worker finishes its job
# (one signal is RQ's warm shutdown; a second would kill the job) while Redis is still there.
stop_all() {
	trap - EXIT INT TERM
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill "${pids[i]}" 2>/dev/null || true
		wait "${pids[i]}" 2>/dev/null || true
	done
}
trap stop_all EXIT
trap 'exit 0' INT  # Ctrl-C is how one stops it
trap 'exit 143' TERM

if [ -z "${REDIS_URL:-}" ]; then
	mkdir -p instance
	socket="$PWD/instance/redis.sock"
	# No TCP port, no persistence: the queue lives as long as this `make run`.
	setsid redis-server --port 0 --unixsocket "$socket" --unixsocketperm 700 \
		--save '' --appendonly no --dir "$PWD/instance" --logfile "$PWD/instance/redis.log" &
	pids+=($!)
	for _ in $(seq 100); do
		redis-cli -s "$socket" ping >/dev/null 2>&1 && break
		sleep 0.1
	done
	export REDIS_URL="unix://$socket"
	# Flask-Limiter's spelling of the same socket (REDIS_URL is redis-py's).
	export RATELIMIT_STORAGE_URI="redis+unix://$socket"
fi

"$BIN/flask" doctor
setsid "$BIN/flask" jobs worker &
pids+=($!)
echo "Serving on http://127.0.0.1:$PORT with a job worker on $REDIS_URL  (Ctrl-C stops all)"
"$BIN/flask" run --host 127.0.0.1 --port "$PORT"
