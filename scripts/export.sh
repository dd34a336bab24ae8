#!/usr/bin/env bash
# Write the work tree's commits back into patches/ with git format-patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree in $TREE; run 'make setup' first."
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	say "warning: the work tree has uncommitted edits, which are not exported; commit them (git commit --fixup or a new commit) and run 'make export' again."
fi
n=$(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
format_series "$tmp"
rm -f "$PATCHES"/*.patch
mkdir -p "$PATCHES"
cp "$tmp"/*.patch "$PATCHES"/
say "exported $n patches and the cover letter to patches/"
git -C "$TOP" status --short -- patches cover-letter.txt
