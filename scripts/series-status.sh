#!/usr/bin/env bash
# Exit non-zero when the work tree holds work that patches/ lacks.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || { say "no work tree; nothing to export"; exit 0; }
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	echo "The work tree $TREE has uncommitted edits: commit them there, run 'make export' and commit patches/."
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"
if ! diff -r -q "$tmp" "$PATCHES" >/dev/null 2>&1; then
	echo "The work tree's commits differ from patches/: run 'make export' and commit patches/."
	# sed reads all of diff's output: no SIGPIPE under pipefail.
	diff -r -q "$tmp" "$PATCHES" | sed -n 's|'"$tmp"'|exported|; s|'"$TOP"/'||; 1,20p' || true
	exit 1
fi
say "patches/ matches the work tree ($(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD) commits)"
