#!/usr/bin/env bash
# Language-server latency, dockwise beside docker-langserver, several runs and their medians.
#
#   bench/setup.sh            # once: installs docker-langserver into bench/.peers
#   bench/lsp.sh [RUNS]       # default 5 runs
#
# Each run is one run of the harness that `cargo bench --bench latency` builds
# (server/benches/latency.rs: edit -> publishDiagnostics p50/p95, hover and completion
# round trips, peak RSS) over
#   - the synthetic 3,000-line multi-stage file and the 60-line Go Dockerfile (built in),
#   - the guide's examples: every examples/guide-*/Dockerfile (DOCKWISE_LATENCY_FILES).
# Raw outputs go to bench/out/lsp-<time>/; the summary (medians over the runs, ratios of
# one run and of the medians) is printed and saved there as summary.md.
#
# docker-langserver: $DOCKER_LANGSERVER, else bench/.peers (setup.sh), else PATH.
# The figures are wall-clock: run on an idle machine; the load is recorded with them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-5}"
if [ -z "${DOCKER_LANGSERVER:-}" ] && [ -f bench/env.sh ]; then
  # shellcheck disable=SC1091
  source bench/env.sh
fi
if [ -z "${DOCKER_LANGSERVER:-}" ] && ! command -v docker-langserver >/dev/null; then
  echo "lsp.sh: docker-langserver not found: run bench/setup.sh first" >&2
  exit 2
fi

files=""
for f in examples/guide-*/Dockerfile; do
  [ -f "$f" ] && files="${files:+$files:}$root/$f"
done
export DOCKWISE_LATENCY_FILES="$files"

out="bench/out/lsp-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "files: go_services(3000) GO_60 ${files//:/ }"
} > "$out/machine.txt"
cat "$out/machine.txt"

echo "== building the harness (cargo bench --bench latency --no-run)"
cargo bench --bench latency --no-run >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
# Run the built harness directly: a `cargo bench` per run would rebuild whenever the
# sources change in between. DOCKWISE pins the dockwise binary measured (default: the
# target/release/dockwise the harness was built with).
exe="$(sed -n 's/.*Executable benches\/latency.rs (\(.*\))$/\1/p' "$out/build.log" | tail -1)"
[ -x "$exe" ] || { echo "lsp.sh: cannot find the harness executable in $out/build.log" >&2; exit 1; }
if [ -n "${DOCKWISE:-}" ]; then export DOCKWISE_LATENCY_BIN="$DOCKWISE"; fi
echo "dockwise: ${DOCKWISE_LATENCY_BIN:-target/release/dockwise} ($("${DOCKWISE_LATENCY_BIN:-target/release/dockwise}" --version))" >> "$out/machine.txt"
for i in $(seq 1 "$runs"); do
  echo "== run $i/$runs (load $(cut -d' ' -f1 /proc/loadavg))"
  "$exe" --bench >"$out/run-$i.md" 2>"$out/run-$i.log" || {
    tail -20 "$out/run-$i.log"
    exit 1
  }
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 bench/lsp_summary.py "$out" | tee "$out/summary.md"
