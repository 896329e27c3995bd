#!/usr/bin/env bash
# npm run test:e2e: the package in a real n8n 2.41.1 and a real browser. Builds, makes sure n8n and Chromium are
# installed (both cached after the first run), then runs tests/e2e with its own vitest config.
# Extra arguments go to vitest, e.g. `npm run test:e2e -- -t templates`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/node-env.sh"
say() { echo "[e2e] $*" >&2; }
cd "$root"

say "building the package"
CI=true npm run build --silent  # CI=true: n8n-node build prints no spinner frames into logs

say "checking n8n (first run installs it: ~7 min, ~3 GB)"
bash scripts/ensure-n8n.sh >/dev/null

if [ -z "${SD_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
	say "installing Debian chromium for the editor test"
	sudo_cmd=""
	[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

say "running tests/e2e"
exec npx vitest run --config tests/e2e/vitest.config.mts "$@"
