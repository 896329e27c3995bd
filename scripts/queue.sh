#!/usr/bin/env bash
# npm run test:queue: the package on n8n queue mode (main + 2 workers, Redis, PostgreSQL), see tests/queue/.
# Needs PostgreSQL (127.0.0.1:5432, trust auth, user postgres) and Redis (127.0.0.1:6379). Whatever happens, every
# process, database and Redis key of the run is removed on exit (SD_KEEP_QUEUE=1 keeps the logs folder).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node-env.sh

run_id="$(date +%s)$$"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/sd-queue-XXXXXX")"
export SD_QUEUE_RUN_ID="$run_id" SD_QUEUE_RUN_DIR="$run_dir"

cleanup() {
	local status=$?
	# Backstop for a test process that died without stopping its servers: every n8n process of this run (main,
	# workers, their task runners) works in the run folder, and nothing else does.
	for proc in /proc/[0-9]*; do
		case "$(readlink "$proc/cwd" 2>/dev/null || true)" in
			"$run_dir" | "$run_dir"/*) kill -9 "${proc#/proc/}" 2>/dev/null || true ;;
		esac
	done
	# The restart test's private PostgreSQL cluster (tests/queue/private-postgres.ts): its binaries, then its folder.
	if [ -f "$run_dir/private-postgres" ]; then
		{ read -r pg_bin; read -r pg_dir; } <"$run_dir/private-postgres"
		if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
		else "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
		rm -rf "$pg_dir"
	fi
	for db in $(psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'sdq\_${run_id}\_%'" 2>/dev/null); do
		psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
	done
	redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "sdq${run_id}*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 -p 6379 DEL >/dev/null 2>&1 || true
	if [ "${SD_KEEP_QUEUE:-}" = "1" ] || [ "$status" -ne 0 ]; then
		echo "[queue] logs kept in $run_dir (*/logs)" >&2
	else
		rm -rf "$run_dir"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "[queue] PostgreSQL is not accepting connections on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "[queue] Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }

bash scripts/ensure-n8n.sh >/dev/null
CI=true npm run build --silent  # CI=true: n8n-node build prints no spinner frames into logs
started=$SECONDS
npx vitest run --config tests/queue/vitest.config.mts "$@"
echo "[queue] passed in $((SECONDS - started)) s" >&2
