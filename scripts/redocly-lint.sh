#!/usr/bin/env bash
# Exports specs/ (or the documents given) as OpenAPI 3.1 and lints the export
# with Redocly's recommended rules. Needs cargo and npx; CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [ "$#" -eq 0 ]; then set -- specs/; fi
cargo run -q -- export openapi "$@" -o "$out/openapi.json"
npx --yes @redocly/cli@2 lint --format=stylish "$out/openapi.json"
