#!/usr/bin/env bash
# Every test layer, as `npm test` runs it: unit (plain Node + mocha, real HTTP on 127.0.0.1),
# integration (mocha inside a real VS Code extension host), e2e (a real browser driving the real
# workbench). All layers run even if one fails; the last line is the total.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
node esbuild.js --tests || { echo "build failed"; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
layer() {
  local name=$1; shift
  echo "=== $name: $*"
  local started=$SECONDS
  "$@" 2>&1 | tee "$results/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name finished in $((SECONDS - started)) s (exit $rc)"
  [ "$rc" = 0 ] || status=1
}
layer unit npx mocha --config test/unit/.mocharc.json
layer integration node test/run/integration.mjs
layer e2e node test/run/e2e.mjs

passed=0; failed=0
# mocha's own summary ("N passing", "N failing") for unit; "layer: N passed, N failed" for the others.
p=$(grep -oE '^\s*[0-9]+ passing' "$results/unit.log" | grep -oE '[0-9]+' | tail -1); passed=$((passed + ${p:-0}))
f=$(grep -oE '^\s*[0-9]+ failing' "$results/unit.log" | grep -oE '[0-9]+' | tail -1); failed=$((failed + ${f:-0}))
for name in integration e2e; do
  line=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$results/$name.log" | tail -1)
  if [ -z "$line" ]; then failed=$((failed + 1)); echo "($name printed no result line: counted as a failure)"; continue; fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
done
[ "$status" = 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "total: $passed passed, $failed failed"
exit $status
