#!/usr/bin/env bash
# Installs the npm tools the tests use (GitHub's OpenAPI description, the Prism mock server) into tools/node_modules,
# exactly as pinned by tools/package-lock.json. Idempotent: skips `npm ci` when the installed tree matches the lock.
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)"
stamp="$tools_dir/node_modules/.install-stamp"

command -v node >/dev/null || { echo "install-node-tools: node not found; install Node.js 20 or later" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-node-tools: npm not found; install npm" >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "install-node-tools: node $(node --version) is too old; Node.js 20 or later is needed" >&2
  exit 1
fi

# The stamp names the lock and node version the tree was installed from, so a changed lock reinstalls.
wanted="$(sha256sum "$tools_dir/package-lock.json" | cut -d' ' -f1) node-$node_major"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x "$tools_dir/node_modules/.bin/prism" ]]; then
  echo "install-node-tools: up to date ($tools_dir/node_modules)"
  exit 0
fi

(cd "$tools_dir" && npm ci --engine-strict --no-audit --no-fund)
test -x "$tools_dir/node_modules/.bin/prism" || { echo "install-node-tools: prism missing after npm ci" >&2; exit 1; }
test -f "$tools_dir/node_modules/@octokit/openapi/generated/api.github.com.json" \
  || { echo "install-node-tools: GitHub OpenAPI description missing after npm ci" >&2; exit 1; }
echo "$wanted" > "$stamp"
echo "install-node-tools: installed $("$tools_dir/node_modules/.bin/prism" --version | sed 's/^/prism /') into $tools_dir/node_modules"
