#!/usr/bin/env bash
# Build the GPU documentation (make htmldocs SPHINXDIRS=gpu) into
# work/build-docs with Debian's Sphinx, and fail on any warning about a file
# the series adds or changes. Warnings about other files are the base's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
[ -x /usr/bin/sphinx-build ] || die "Sphinx is missing; run 'make setup' (it installs python3-sphinx)."
out=$WORK/build-docs
log=$WORK/docs.log
mkdir -p "$out"
say "htmldocs of Documentation/gpu into ${out#"$TOP"/}; log in ${log#"$TOP"/}"
start=$(date +%s)
# Debian's python3 has Sphinx; a python3 earlier in PATH may not.
rc=0
PATH=/usr/bin:/bin:$PATH make -C "$TREE" O="$out" PYTHON3=/usr/bin/python3 \
	SPHINXDIRS=gpu htmldocs >"$log" 2>&1 || rc=$?
say "built in $(( $(date +%s) - start ))s (exit $rc)"
[ "$rc" -eq 0 ] || { tail -n 20 "$log"; die "htmldocs failed; see ${log#"$TOP"/}."; }

total=$(grep -cE 'WARNING|ERROR' "$log" || true)
ours=$(git -C "$TREE" diff --name-only --diff-filter=d "$BASE_TAG" | while read -r f; do
	grep -E 'WARNING|ERROR' "$log" | grep -F "$f" || true
done)
say "$total warnings in all, about files the series does not touch unless listed below"
if [ -n "$ours" ]; then
	echo "$ours"
	die "the series' files have documentation warnings; fix them."
fi
say "pages: ${out#"$TOP"/}/Documentation/output/gpu/drm-gem-sync.html"
