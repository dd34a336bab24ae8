#!/usr/bin/env bash
# The series' tests: checkpatch on every patch, then the KUnit suites under
# QEMU on arm64, 32-bit Arm, x86_64 and riscv64, and the DRM tests on User
# Mode Linux (TEST_ARCHES="arm64 arm x86_64 riscv64 um" by default).
# The last line is "total: N passed, N failed", counting KUnit cases (a
# checkpatch failure, or a pipe into grep -q or head in the project's
# scripts, counts as one failed).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
say "base: Debian $BASE_PKG $(base_version) (series made on $BASE_MADE_ON)"
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	say "note: testing the work tree with uncommitted edits"
fi

failed=0
passed=0
say "checkpatch --strict on the series"
"$TOP/scripts/checkpatch.sh" || failed=$((failed + 1))
"$TOP/scripts/pipe-check.sh" || failed=$((failed + 1))

for arch in ${TEST_ARCHES:-arm64 arm x86_64 riscv64 um}; do
	out=$WORK/test-$arch.out
	"$TOP/scripts/kunit.sh" "$arch" | tee "$out" || true
	line=$(tail -n 1 "$out")
	p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
	f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
done
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
