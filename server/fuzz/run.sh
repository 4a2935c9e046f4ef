#!/usr/bin/env bash
# Seeds the corpus with the repository's Dockerfiles and runs one cargo-fuzz target.
#   server/fuzz/run.sh parse 600           (parser, rules, safe fixes)
#   server/fuzz/run.sh ide 600             (analysis, editor features at random positions, refactors)
#   server/fuzz/run.sh incremental 300     (alias of incremental_edits: random edit sequences)
# Extra arguments after SECONDS go to libFuzzer (e.g. -jobs=2, -only_ascii=1).
# The toolchain is stable: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the -Z flags it needs.
set -euo pipefail

target=${1:?usage: run.sh TARGET SECONDS [libfuzzer args...]}
seconds=${2:?usage: run.sh TARGET SECONDS [libfuzzer args...]}
shift 2
# Cargo forbids a binary named `incremental`; accept it as an alias.
[ "$target" = incremental ] && target=incremental_edits

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus="$here/corpus/$target"
mkdir -p "$corpus"

# Seed files are named by content hash, as libFuzzer names its own, so reseeding is
# idempotent.
seed() {
    [ -d "$1" ] || return 0
    find "$1" -type f -name '*.Dockerfile' -print0 |
        while IFS= read -r -d '' f; do
            if [ "$target" = ide ]; then
                # The ide target reads 8 seed bytes before the text.
                { printf '\x01\x02\x03\x04\x05\x06\x07\x08'; cat "$f"; } > "$corpus/$(sha1sum "$f" | cut -c1-40)"
            else
                cp -f "$f" "$corpus/$(sha1sum "$f" | cut -c1-40)"
            fi
        done
}
seed "$repo/tests/fixtures"
seed "$repo/tests/refactor"
seed "${DOCKWISE_REAL_CORPUS:-/work/shared/corpus/real}"

cd "$here"
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run ${CARGO_FUZZ_FLAGS:-} "$target" "$corpus" -- \
    -dict="$here/dockerfile.dict" \
    -max_total_time="$seconds" -max_len=65536 "$@"
