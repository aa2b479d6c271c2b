#!/usr/bin/env bash
# Installs code-server (VS Code's server build, from npm) into the repo's ignored cache
# .cache/code-server/<version>/ for the integration tests (test/integration/harness).
#
# Offline-friendly route (only the npm registry and Debian's apt are reachable):
#   - npm install --ignore-scripts code-server@<version> with its own prefix (not a project dependency);
#   - the steps of code-server's postinstall.sh done by hand, in lib/vscode:
#       npm install --ignore-scripts --omit=dev, then `npm rebuild` of the native modules the
#       server needs, built from source with node-gyp against Node's headers in /usr/include/node
#       (no prebuilt binaries are downloaded: GitHub is not reachable);
#     @vscode/ripgrep's binary (its install script downloads it from GitHub) replaced by a symlink to
#       Debian's /usr/bin/rg; the node_modules.asar and bin-script symlinks; lib/vscode/extensions deps.
#   - argon2 (code-server's password hashing, required at start-up) is built from source the same way.
#
# Idempotent: when .cache/code-server/<version>/.installed exists and the server's entry point is
# there, it does nothing. Set CODE_SERVER_FORCE=1 to reinstall. Prints the entry point at the end.
# Needs: node 20 + npm, apt (as root or with sudo) for build tools, libkrb5-dev and ripgrep.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PREFIX="$ROOT/.cache/code-server/$VERSION"
PKG="$PREFIX/node_modules/code-server"
VSC="$PKG/lib/vscode"
STAMP="$PREFIX/.installed"
T0=$(date +%s)
log() { echo "setup-code-server: $*"; }

installed() { [ -f "$STAMP" ] && [ -f "$PKG/out/node/entry.js" ]; }
if installed && [ "${CODE_SERVER_FORCE:-0}" != 1 ]; then
  log "code-server $VERSION already installed at $PKG (rm -rf $PREFIX or CODE_SERVER_FORCE=1 to reinstall)"
  exit 0
fi

# One install at a time per checkout; the others wait and then find it installed.
mkdir -p "$ROOT/.cache/code-server"
exec 9>"$ROOT/.cache/code-server/.lock"
if command -v flock >/dev/null; then
  flock 9
  if installed && [ "${CODE_SERVER_FORCE:-0}" != 1 ]; then
    log "code-server $VERSION was installed meanwhile at $PKG"
    exit 0
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  log "warning: code-server $VERSION declares node 20, this is node $(node -v)"
fi

# --- system packages: compilers for node-gyp, kerberos headers, ripgrep, chromium for the tests ---
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
need=()
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
command -v rg >/dev/null || need+=(ripgrep)
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
# node-gyp needs Node's headers; Debian's nodejs ships them in libnode-dev / nodejs headers at
# /usr/include/node. If node came from elsewhere, node-gyp would try to download them (offline: fails).
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Build native modules from source, with headers found locally, never fetching prebuilt binaries.
export npm_config_build_from_source=true
export npm_config_unsafe_perm=true
# node-pty's postinstall runs `npx node-gyp configure` (compile_commands.json); let npx fetch it.
export npm_config_yes=true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
if [ -z "${npm_config_nodedir:-}" ]; then
  nodeprefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  for d in "$nodeprefix" /usr /usr/local; do
    if [ -f "$d/include/node/node.h" ] && [ -f "$d/include/node/common.gypi" ]; then
      export npm_config_nodedir="$d"; break
    fi
  done
fi
if [ -z "${npm_config_nodedir:-}" ]; then
  log "warning: Node's headers (include/node/node.h) not found; node-gyp will try to download them (needs nodejs.org)"
fi
log "node $(node -v), npm $(npm -v 2>/dev/null), nodedir=${npm_config_nodedir:-<node-gyp default>}"
JOBS="$(nproc 2>/dev/null || echo 2)"
export JOBS MAKEFLAGS="-j$JOBS"

# Build in a staging folder, moved into place when complete: a half-done install is never used.
FINAL="$PREFIX"
PREFIX="$FINAL.partial"
PKG="$PREFIX/node_modules/code-server"
VSC="$PKG/lib/vscode"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
echo '{"name":"code-server-cache","private":true}' > "$PREFIX/package.json"
quiet() { sed -u '/Unknown \(env\|user\) config/d'; }

# --- 1. code-server itself, no install scripts ---
log "npm install code-server@$VERSION (scripts off)"
npm install --prefix "$PREFIX" --ignore-scripts --no-save --omit=dev --no-package-lock "code-server@$VERSION" 2>&1 | quiet
[ -f "$PKG/out/node/entry.js" ] || { log "code-server package did not install"; exit 1; }

log "build argon2 from source"
(cd "$PREFIX" && npm rebuild argon2 2>&1 | quiet | tail -5)

# --- 2. lib/vscode: what postinstall.sh's vscode_install does ---
log "npm install in lib/vscode (scripts off)"
(cd "$VSC" && npm install --ignore-scripts --omit=dev 2>&1 | quiet | tail -3)

log "build native modules: @vscode/spdlog node-pty native-watchdog kerberos @parcel/watcher @vscode/deviceid"
(cd "$VSC" && npm rebuild @vscode/spdlog node-pty native-watchdog kerberos @parcel/watcher @vscode/deviceid 2>&1 \
  | quiet | tail -5)

# ripgrep: the package's script downloads rg from GitHub; use Debian's.
RG_BIN="$(command -v rg)"
mkdir -p "$VSC/node_modules/@vscode/ripgrep/bin"
ln -sfn "$RG_BIN" "$VSC/node_modules/@vscode/ripgrep/bin/rg"

# The symlinks postinstall.sh makes.
(cd "$VSC" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar)
(cd "$VSC/bin/remote-cli" && rm -f code-server && ln -s code-linux.sh code-server)
(cd "$VSC/bin/helpers" && rm -f browser.sh && ln -s browser-linux.sh browser.sh)

log "npm install in lib/vscode/extensions (scripts off)"
(cd "$VSC/extensions" && npm install --ignore-scripts --omit=dev 2>&1 | quiet | tail -3)
# its postinstall.mjs only trims the bundled typescript; run it (harmless if it fails).
(cd "$VSC/extensions" && node ./postinstall.mjs >/dev/null 2>&1) || true

# --- 3. check: every native module loads in this node ---
log "check native modules load"
(cd "$VSC" && node --input-type=module -e "
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/');
for (const m of ['@vscode/spdlog', 'node-pty', 'native-watchdog', 'kerberos', '@parcel/watcher', '@vscode/ripgrep']) {
  try { require(m); } catch (e) { console.error('cannot load ' + m + ': ' + e.message); process.exit(1); }
}
const { rgPath } = require('@vscode/ripgrep');
const { execFileSync } = await import('node:child_process');
execFileSync(rgPath, ['--version']);
")
(cd "$PKG" && node -e "require('argon2')") || { log "argon2 does not load"; exit 1; }
node "$PKG/out/node/entry.js" --version >/dev/null

date -u +%FT%TZ > "$PREFIX/.installed"
rm -rf "$FINAL"
mv "$PREFIX" "$FINAL"
PKG="$FINAL/node_modules/code-server"
log "installed code-server $VERSION in $(( $(date +%s) - T0 ))s: node $PKG/out/node/entry.js"
