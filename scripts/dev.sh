#!/usr/bin/env bash
# npm run dev: build the package, make sure the pinned n8n is installed, link this working tree into an n8n user
# folder as a community package, start a local demo vendor, create the credentials the templates use (pointing at the
# demo vendor) and import the templates, then run n8n on http://127.0.0.1:5678 with hot reload until Ctrl-C.
# `n8n-node dev --external-n8n` (n8n's node CLI) recompiles on every change; n8n (N8N_DEV_RELOAD) reloads the nodes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/node-env.sh"
say() { echo "[dev] $*" >&2; }

port="${N8N_PORT:-5678}"
vendor_port="${SD_DEMO_VENDOR_PORT:-5688}"
home="${SD_DEV_HOME:-$HOME/.cache/n8n-support-delegation/dev}"
package_dir="$home/.n8n/nodes/node_modules/n8n-nodes-support-delegation"

for p in "$port" "$vendor_port"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		say "port $p is already in use (another npm run dev?). Stop it or pick others: N8N_PORT=5680 SD_DEMO_VENDOR_PORT=5690 npm run dev"
		exit 1
	fi
done

mkdir -p "$home"
say "building the package (n8n-node build)"
(cd "$root" && CI=true npm run build --silent >"$home/build.log" 2>&1) || { cat "$home/build.log" >&2; exit 1; }

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

# Everything started below runs in its own session, so Ctrl-C reaches only this script, which then stops each group
# and waits for it.
pids=()
stop() {
	trap - INT TERM EXIT
	for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
}
trap stop INT TERM EXIT

# The demo vendor checks the hand-off signatures with the secret the demo credentials carry (made once per folder).
secret_file="$home/.demo-vendor-secret"
[ -s "$secret_file" ] || (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))' >"$secret_file")
vendor_url="http://127.0.0.1:$vendor_port"
setsid node "$root/scripts/demo/serve-vendor.ts" "$vendor_port" "$secret_file" &
pids+=($!)

# Credentials and templates are imported when a template, the demo setup or the vendor port changes (a changed
# template overwrites the copy with the same id; your other workflows are untouched). Otherwise nothing is imported,
# so a second run starts in seconds.
stamp="$home/.templates.sha256"
sum="$( { cat "$root"/workflows/*.json "$root/scripts/demo/setup.ts"; echo "$vendor_url"; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
	say "creating the demo credentials and importing the templates from workflows/"
	(cd "$home" && N8N_RUNNERS_BROKER_PORT="${SD_DEV_IMPORT_BROKER_PORT:-5699}" node "$root/scripts/demo/import.ts" "$n8n" "$vendor_url" "$secret_file" "$root/workflows" >"$home/import.log" 2>&1) ||
		{ say "import failed; see $home/import.log"; tail -20 "$home/import.log" >&2; exit 1; }
	echo "$sum" >"$stamp"
fi

say "starting n8n $("$n8n" --version 2>/dev/null | tail -1) with user folder $home"
N8N_DEV_RELOAD=true setsid "$n8n" start &
n8n_pid=$!
pids+=("$n8n_pid")

# n8n's node CLI watches the sources and recompiles into dist/; n8n sees dist/ change and reloads the nodes. Its own
# user folder stays unused (--external-n8n: it starts no n8n of its own).
setsid bash -c 'cd "$1" && exec npx n8n-node dev --external-n8n --custom-user-folder "$2"' _ "$root" "$home/node-cli" >"$home/node-cli.log" 2>&1 </dev/null &
pids+=($!)

for _ in $(seq 1 240); do
	if curl -fsS "http://127.0.0.1:$port/healthz/readiness" >/dev/null 2>&1; then
		say "n8n is ready: http://127.0.0.1:$port  (first visit: create the owner account; Ctrl-C stops)"
		say "demo vendor: $vendor_url (hand-offs are logged here); rebuild log: $home/node-cli.log"
		break
	fi
	kill -0 "$n8n_pid" 2>/dev/null || break
	sleep 0.5
done
wait "$n8n_pid"
