#!/usr/bin/env bash
# Re-copy the team's provider fixtures into test/fixtures/providers.
# The tests read only the copy in this repo, so a plain clone passes on its own; this script is the
# one deliberate link to the shared folder beside the checkout. Run it when that folder changes and
# commit the result (the diff shows what the new recordings change).
#
#   bash scripts/refresh-fixtures.sh [SOURCE_DIR]     default: ../shared/fixtures/providers beside the repo
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/../shared/fixtures/providers}"
dest="$root/test/fixtures/providers"
[ -d "$src" ] || { echo "no fixture folder at $src (pass its path as the first argument)" >&2; exit 1; }
src="$(cd "$src" && pwd)"
mkdir -p "$dest"

new=0; changed=0; unchanged=0
for f in "$src"/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  if [ ! -e "$dest/$name" ]; then
    echo "new:     $name"; new=$((new + 1))
  elif cmp -s "$f" "$dest/$name"; then
    unchanged=$((unchanged + 1)); continue
  else
    echo "changed: $name"; changed=$((changed + 1))
  fi
  # --no-preserve=mode: the shared folder is read-only; our copy must stay editable by git/refreshes.
  cp --no-preserve=mode,ownership "$f" "$dest/$name"
done

# Files only we have are our own fixtures (behaviours the shared set has no recording for): never
# deleted here, but listed so a fixture dropped upstream does not linger unnoticed.
ours=0
for f in "$dest"/*; do
  [ -e "$src/$(basename "$f")" ] || { echo "ours:    $(basename "$f") (not in $src, kept)"; ours=$((ours + 1)); }
done
echo "fixtures: $new new, $changed changed, $unchanged unchanged, $ours only ours"
