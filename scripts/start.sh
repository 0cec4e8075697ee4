#!/usr/bin/env bash
# `npm start`: installs what it lacks, then opens a real VS Code with Ask LLM loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node scripts/start.mjs
