#!/usr/bin/env bash
# npm run dev: build the package, make sure the pinned n8n is installed, link this working tree into an n8n user
# folder as a community package, import the templates, and run n8n on http://127.0.0.1:5678 until Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/node-env.sh"
say() { echo "[dev] $*" >&2; }

port="${N8N_PORT:-5678}"
home="${SD_DEV_HOME:-$HOME/.cache/n8n-support-delegation/dev}"
package_dir="$home/.n8n/nodes/node_modules/n8n-nodes-support-delegation"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	say "port $port is already in use (another n8n?). Stop it or run: N8N_PORT=5680 npm run dev"
	exit 1
fi

say "building the package"
(cd "$root" && npm run build --silent)

say "checking n8n (first run installs it: ~7 min, ~3 GB)"
n8n="$(bash "$root/scripts/ensure-n8n.sh")"

# n8n loads community packages from <user folder>/.n8n/nodes/node_modules; a symlink there gives node types the
# package's name (n8n-nodes-support-delegation.ticketRouter), exactly as after a real install.
mkdir -p "$(dirname "$package_dir")"
[ -f "$home/.n8n/nodes/package.json" ] ||
	echo '{ "name": "installed-nodes", "private": true }' >"$home/.n8n/nodes/package.json"
ln -sfn "$root" "$package_dir"

export N8N_USER_FOLDER="$home"
export N8N_PORT="$port"
export N8N_LISTEN_ADDRESS=127.0.0.1
export N8N_HOST=127.0.0.1
export N8N_SECURE_COOKIE=false
export N8N_DIAGNOSTICS_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false
export N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
# Never let an empty N8N_CUSTOM_EXTENSIONS through: n8n would scan the working folder for *.node.js.
[ -n "${N8N_CUSTOM_EXTENSIONS:-}" ] || unset N8N_CUSTOM_EXTENSIONS

# Templates are imported when they change (a changed template overwrites the copy with the same id; your other
# workflows are untouched). Unchanged templates cost nothing, so a second run starts in seconds.
shopt -s nullglob
templates=("$root"/workflows/*.json)
if [ ${#templates[@]} -gt 0 ]; then
	stamp="$home/.templates.sha256"
	sum="$(cat "${templates[@]}" | sha256sum | cut -d' ' -f1)"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
		say "importing ${#templates[@]} template workflows from workflows/"
		(cd "$home" && N8N_RUNNERS_BROKER_PORT="${SD_DEV_IMPORT_BROKER_PORT:-5699}" "$n8n" import:workflow --separate --input="$root/workflows" >"$home/import.log" 2>&1) ||
			{ say "import failed; see $home/import.log"; tail -20 "$home/import.log" >&2; exit 1; }
		echo "$sum" >"$stamp"
	fi
fi

# n8n runs in its own session so Ctrl-C reaches only this script, which then stops n8n and its task runners as a
# group and waits for them.
say "starting n8n $("$n8n" --version 2>/dev/null | tail -1) with user folder $home"
setsid "$n8n" start &
pid=$!
stop() {
	trap - INT TERM EXIT
	if kill -0 "$pid" 2>/dev/null; then
		say "stopping n8n"
		kill -TERM -- "-$pid" 2>/dev/null || true
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
}
trap stop INT TERM EXIT

for _ in $(seq 1 240); do
	if curl -fsS "http://127.0.0.1:$port/healthz/readiness" >/dev/null 2>&1; then
		say "n8n is ready: http://127.0.0.1:$port  (first visit: create the owner account; Ctrl-C stops)"
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
wait "$pid"
