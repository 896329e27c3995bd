#!/usr/bin/env bash
# Installs the pinned real n8n into a cache folder outside the repo (offline-safe recipe, see README).
# Prints the n8n binary path on stdout as its last line. Idempotent: a second run returns at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/node-env.sh"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
N8N_CACHE_DIR="${N8N_CACHE_DIR:-$HOME/.cache/n8n-support-delegation/n8n-$N8N_VERSION}"
bin="$N8N_CACHE_DIR/node_modules/.bin/n8n"
if [ -x "$bin" ] && [ -f "$N8N_CACHE_DIR/.complete" ]; then echo "$bin"; exit 0; fi
mkdir -p "$N8N_CACHE_DIR"
cd "$N8N_CACHE_DIR"
# n8n-nodes-base points xlsx at a CDN tarball, unreachable here; the registry's 0.18.5 is API-compatible.
cat > package.json <<JSON
{ "name": "n8n-cache", "private": true, "overrides": { "xlsx": "npm:xlsx@0.18.5" } }
JSON
echo "[ensure-n8n] installing n8n@$N8N_VERSION into $N8N_CACHE_DIR (first time: ~7 min, ~3 GB)" >&2
# --ignore-scripts: a Kafka dependency's install script downloads from the internet.
npm install "n8n@$N8N_VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
echo "[ensure-n8n] building native modules (sqlite3, isolated-vm)" >&2
npm rebuild sqlite3 isolated-vm --loglevel=error >&2
touch .complete
echo "[ensure-n8n] done" >&2
echo "$bin"
