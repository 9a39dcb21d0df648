#!/usr/bin/env bash
# Exports specs/ (or the documents given) as OpenAPI 3.1 with the release
# binary and lints the export with Redocly's recommended rules, as
# configured in redocly.yaml. Needs cargo and npx; CI does not run it.
#
#   scripts/redocly-lint.sh [DOCS...]
#   KEEP=out.json scripts/redocly-lint.sh fixtures/corpus/identity/   # keep the export
#   REPORT=lint.txt scripts/redocly-lint.sh fixtures/corpus/family/   # keep the linter's output
#
# The linter's version is pinned so that a new rule never changes the verdict
# unannounced; raise REDOCLY_VERSION on purpose. Every problem is listed
# (no `--max-problems` cut), then a summary line; the exit status is the
# linter's.
set -euo pipefail
cd "$(dirname "$0")/.."
REDOCLY_VERSION="${REDOCLY_VERSION:-2.77.0}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [ "$#" -eq 0 ]; then set -- specs/; fi
cargo build --release -q
# The documents are Apache-2.0 (fixtures/corpus/NOTICE).
./target/release/conform export openapi "$@" --license Apache-2.0 \
    -o "$out/openapi.json"
if [ -n "${KEEP:-}" ]; then cp "$out/openapi.json" "$KEEP"; fi
status=0
npx --yes "@redocly/cli@${REDOCLY_VERSION}" lint --config redocly.yaml \
    --format=stylish --max-problems 100000 "$out/openapi.json" \
    >"$out/lint.txt" 2>&1 || status=$?
cat "$out/lint.txt"
if [ -n "${REPORT:-}" ]; then cp "$out/lint.txt" "$REPORT"; fi
exit "$status"
