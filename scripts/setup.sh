#!/usr/bin/env bash
# Installs everything pprof-lens needs on a fresh Debian machine (as root, or with sudo):
# system packages (Go for the fixtures, the e2e server and the benchmark; Chromium for the
# webview and VS Code tests), the npm dependencies, and code-server for the tests that run
# inside a real VS Code. Idempotent: what is there already is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

need=()
command -v go >/dev/null || need+=(golang-go)
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v python3 >/dev/null || need+=(python3)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit
fi

if [ -f scripts/setup-code-server.sh ]; then
  bash scripts/setup-code-server.sh
fi
echo "setup: done"
