#!/usr/bin/env bash
# Integration test of the VS Code extension in real VS Code: code-server (VS Code 1.100.3 from
# npm) and Debian's Chromium driven by playwright-core.
#
#   DOCKWISE_BIN=/abs/dockwise bash editors/vscode/test/ci.sh
#
# 1. installs what is missing (Debian packages, npm packages; code-server and playwright-core
#    go into a cache, $DOCKWISE_CI_CACHE or ~/.cache/dockwise-ci, keyed by test/ci-deps's lock);
# 2. packages the .vsix with the server binary DOCKWISE_BIN (default <repo>/target/debug/dockwise);
# 3. installs it offline into code-server with their own user-data and extensions folders;
# 4. starts code-server on a free localhost port on a copy of test/fixtures/workspace;
# 5. test/driver.mjs opens the workbench in headless Chromium with test/suite (compiled to
#    out/test/suite.js) as the extension tests, saves test-artifacts/screenshot.png of the
#    Dockerfile with squiggles, and collects the checks that the extension host writes.
# The last line printed is "N passed, N failed"; the exit status is non-zero on any failure.
set -euo pipefail

caller_dir=$PWD
ext_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$ext_dir/../.." && pwd)
cache=${DOCKWISE_CI_CACHE:-${HOME:-/root}/.cache/dockwise-ci}
artifacts=$ext_dir/test-artifacts
time_limit=${DOCKWISE_UI_TIMEOUT:-240}   # seconds for the browser part
started=$(date +%s)

passed=0
failed=0
run_dir=
cs_pid=
driver_pid=

say() { echo "== [$(( $(date +%s) - started )) s] $*"; }

stop_group() { # stop_group PID: TERM, then KILL, the process group that PID leads
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pgrep -g "$pid" >/dev/null 2>&1 || return 0
    sleep 0.5
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

finish() {
  local status=$?
  set +e
  if [ -n "$driver_pid" ]; then
    # Playwright starts Chromium in a process group of its own: stop it by its id too.
    local browsers
    browsers=$(pgrep -P "$driver_pid" 2>/dev/null)
    stop_group "$driver_pid"
    for pid in $browsers; do stop_group "$pid"; done
  fi
  stop_group "$cs_pid"
  if [ -n "$run_dir" ] && [ -d "$run_dir" ]; then
    mkdir -p "$artifacts"
    cp "$run_dir"/results.json "$run_dir"/summary.json "$run_dir"/code-server.log "$artifacts"/ 2>/dev/null
    if [ -d "$run_dir/user/logs" ]; then
      rm -rf "$artifacts/logs" && cp -r "$run_dir/user/logs" "$artifacts/logs"
    fi
    rm -rf "$run_dir"
  fi
  if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    failed=1 # Stopped before any check ran.
  fi
  echo "== vscode integration: $(( $(date +%s) - started )) s; artifacts in $artifacts"
  echo "$passed passed, $failed failed"
  if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
    exit 1
  fi
  exit 0
}
trap finish EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
say "prerequisites"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are needed (Node.js 20: code-server 4.100.3 does not run on older ones)" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old: code-server 4.100.3 needs Node.js 20" >&2
  exit 1
fi

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
ci_deps_hash=$(cat "$ext_dir/test/ci-deps/package.json" "$ext_dir/test/ci-deps/package-lock.json" | sha256sum | cut -c1-16)
ci_deps=$cache/ci-deps-$ci_deps_hash
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v rg >/dev/null 2>&1 || packages+=(ripgrep)
if [ ! -f "$ci_deps/.complete" ]; then
  # Only for building code-server's native modules (kerberos, argon2) the first time.
  command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
  command -v krb5-config >/dev/null 2>&1 || packages+=(libkrb5-dev)
  command -v g++ >/dev/null 2>&1 || packages+=(g++)
  command -v make >/dev/null 2>&1 || packages+=(make)
  command -v python3 >/dev/null 2>&1 || packages+=(python3)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  say "apt-get install ${packages[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if [ ! -f "$ci_deps/.complete" ]; then
  say "installing code-server 4.100.3 and playwright-core into $ci_deps (once)"
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is not reachable: seed its
  # cache with Debian's rg, under the name that the locked @vscode/ripgrep 1.15.11 looks for.
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) rg_target=$(uname -m)-unknown-linux-gnu ;;
  esac
  rg_cache=${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11
  rg_tar=$rg_cache/ripgrep-v13.0.0-10-$rg_target.tar.gz
  if [ ! -f "$rg_tar" ]; then
    seed=$(mktemp -d)
    cp "$(command -v rg)" "$seed/rg"
    mkdir -p "$rg_cache"
    tar -C "$seed" -czf "$rg_tar" rg
    rm -rf "$seed"
  fi
  rm -rf "$ci_deps"
  mkdir -p "$ci_deps"
  cp "$ext_dir/test/ci-deps/package.json" "$ext_dir/test/ci-deps/package-lock.json" "$ci_deps/"
  # nodedir: node-gyp uses the local headers instead of downloading them; yes: code-server's
  # postinstall runs `npx node-gyp`; unsafe_perm: that postinstall refuses root without it.
  (cd "$ci_deps" && npm_config_nodedir=/usr npm_config_yes=true npm_config_unsafe_perm=true \
    npm ci --no-audit --no-fund --loglevel=error >"$ci_deps/install.log" 2>&1) || {
    tail -40 "$ci_deps/install.log" >&2
    echo "installing code-server failed (log: $ci_deps/install.log)" >&2
    exit 1
  }
  touch "$ci_deps/.complete"
fi
code_server=$ci_deps/node_modules/.bin/code-server
export PLAYWRIGHT_CORE=$ci_deps/node_modules/playwright-core

cd "$ext_dir"
lock_hash=$(sha256sum package-lock.json | cut -c1-64)
if [ "$(cat node_modules/.ci-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  say "npm ci (extension)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >node_modules/.ci-lock-hash
fi

# ---------------------------------------------------------------------------------------------
bin=${DOCKWISE_BIN:-$repo/target/debug/dockwise}
case "$bin" in /*) ;; *) bin=$caller_dir/$bin ;; esac
if [ ! -x "$bin" ]; then
  echo "no dockwise executable at $bin (set DOCKWISE_BIN)" >&2
  exit 1
fi
say "packaging the extension with $bin"
rm -f dockwise.vsix
mkdir -p "$artifacts"
DOCKWISE_BIN=$bin npm run --silent package >"$artifacts/package.log" 2>&1 || {
  cat "$artifacts/package.log" >&2
  exit 1
}
vsix=$ext_dir/dockwise.vsix
echo "$vsix: $(du -k "$vsix" | cut -f1) KiB"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/dockwise-vscode-ci.XXXXXX")
ws=$run_dir/ws
cp -r "$ext_dir/test/fixtures/workspace" "$ws"
mkdir -p "$run_dir/user/User" "$run_dir/extensions"
rm -f "$artifacts"/screenshot*.png "$artifacts"/results.json "$artifacts"/summary.json
cat >"$run_dir/user/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.layoutControl.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "git.enabled": false,
  "editor.minimap.enabled": false,
  "editor.hover.delay": 150,
  "dockwise.language": "en"
}
EOF
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat >"$run_dir/config.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF
cs_args=(--config "$run_dir/config.yaml" --user-data-dir "$run_dir/user" --extensions-dir "$run_dir/extensions")

say "installing the .vsix into code-server"
"$code_server" "${cs_args[@]}" --install-extension "$vsix" >"$run_dir/install.log" 2>&1 || {
  cat "$run_dir/install.log" >&2
  exit 1
}
installed=$(find "$run_dir/extensions" -maxdepth 1 -type d -name 'dockwise.dockwise-*' | head -1)
[ -n "$installed" ] || { cat "$run_dir/install.log" >&2; echo "the extension was not installed" >&2; exit 1; }

say "starting code-server on 127.0.0.1:$port"
setsid "$code_server" "${cs_args[@]}" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$ws" >"$run_dir/code-server.log" 2>&1 &
cs_pid=$!
node -e '
  const url = process.argv[1], until = Date.now() + 60000;
  (async function poll() {
    try { if ((await fetch(url)).ok) process.exit(0); } catch {}
    if (Date.now() > until) { console.error("code-server did not answer " + url); process.exit(1); }
    setTimeout(poll, 250);
  })();' "http://127.0.0.1:$port/healthz" || { cat "$run_dir/code-server.log" >&2; exit 1; }

# The web workbench takes the development and test paths of an extension test run through
# `payload`. The development path is the installed extension, so the test exercises the .vsix.
authority=127.0.0.1:$port
# shellcheck disable=SC2016 # JavaScript template strings, not shell.
url=$(node -e '
  const [authority, ws, dev, tests] = process.argv.slice(1);
  const payload = [
    ["extensionDevelopmentPath", `vscode-remote://${authority}${dev}`],
    ["extensionTestsPath", `vscode-remote://${authority}${tests}`],
  ];
  console.log(`http://${authority}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
' "$authority" "$ws" "$installed" "$ext_dir/out/test/suite.js")

say "running the tests in Chromium"
setsid node "$ext_dir/test/driver.mjs" "$url" "$run_dir" "$artifacts/screenshot.png" "$time_limit" &
driver_pid=$!
deadline=$(( $(date +%s) + time_limit + 30 ))
while kill -0 "$driver_pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 1
done
if kill -0 "$driver_pid" 2>/dev/null; then
  echo "the browser driver did not finish within $time_limit s" >&2
  stop_group "$driver_pid"
fi
set +e
wait "$driver_pid" 2>/dev/null
set -e

if [ -f "$run_dir/summary.json" ]; then
  passed=$(node -p "require('$run_dir/summary.json').passed")
  failed=$(node -p "require('$run_dir/summary.json').failed")
else
  failed=$(( failed + 1 ))
fi
