#!/usr/bin/env bash
# Build and run the series' KUnit kernel under QEMU.
#   scripts/kunit.sh ARCH [kunit.py options...]    ARCH: arm64 or arm
# Fails on any failed case, crash, KASAN report or lockdep splat, and ends
# with the line "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: scripts/kunit.sh arm64|arm [kunit.py options]}
shift
case "$arch" in
arm64) cross=aarch64-linux-gnu- ;;
arm) cross=arm-linux-gnueabihf- ;;
*) die "unknown architecture '$arch'; use arm64 or arm." ;;
esac
[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
build=$WORK/build-$arch
log=$WORK/kunit-$arch.log
config=$TOP/kunit/$arch.kunitconfig
mkdir -p "$build"

say "base: Debian $BASE_PKG $(base_version); series: $(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD) patches"
say "$(${cross}gcc --version | head -n 1); $(qemu-system-aarch64 --version | head -n 1)"
say "KUnit on $arch: kunitconfig ${config#"$TOP"/}, build folder ${build#"$TOP"/}"
start=$(date +%s)
rc=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch="$arch" \
	--cross_compile="$cross" --build_dir="$build" --kunitconfig="$config" \
	--jobs="$(nproc)" --make_options "CC=ccache ${cross}gcc" \
	--timeout=1800 "$@") >"$log" 2>&1 || rc=$?
say "kunit.py finished in $(( $(date +%s) - start ))s (exit $rc); log in ${log#"$TOP"/}"

# Errors kunit.py may not count as failures.
raw=$build/test.log
splats=$(grep -E 'BUG: |KASAN|Kernel panic|Oops|Internal error|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lock held when returning|sleeping function called from invalid context|WARNING: .* at ' \
	"$raw" 2>/dev/null | grep -vE 'ok [0-9]+ ' || true)

grep -E '^\[[0-9:]+\] (#|\[(FAILED|CRASHED)\])|Testing complete|Elapsed time|ERROR' "$log" | tail -n 40 || true
summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$log" | tail -n 1 || true)
passed=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$summary")
crashed=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=$(( ${failed:-0} + ${crashed:-0} ))

if [ -n "$splats" ]; then
	echo "kernel reported problems during the run:"
	echo "$splats" | head -n 20
	failed=$((failed + 1))
fi
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	tail -n 30 "$log"
	echo "kunit.py failed before any test result (build or boot error); see ${log#"$TOP"/}."
	failed=1
fi
echo "$arch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
