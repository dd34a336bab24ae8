#!/usr/bin/env bash
# Build and run the series' KUnit kernel under QEMU.
#   scripts/kunit.sh ARCH [kunit.py options...]
#   ARCH: arm64, arm, x86_64 or riscv64, each with kunit/ARCH.kunitconfig;
#   um: User Mode Linux with drivers/gpu/drm/tests/.kunitconfig as it is in
#   the tree, the run DRM developers start with.
#   KUNIT_FLAVOR=NAME: use kunit/NAME.kunitconfig and work/build-NAME
# Fails on any failed case, crash, KASAN report or lockdep splat (see
# scripts/ktap-check.py), and ends with the line "ARCH: N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: scripts/kunit.sh arm64|arm|x86_64|riscv64|um [kunit.py options]}
shift
# kunit.py's name of the architecture, where it differs.
kunit_arch=$arch
case "$arch" in
arm64) cross=aarch64-linux-gnu- qemu=qemu-system-aarch64 ;;
arm) cross=arm-linux-gnueabihf- qemu=qemu-system-arm
	# zImage embeds the compressed kernel with the assembler's .incbin,
	# which ccache's depend and direct modes cannot see: they would hand
	# back a stale piggy.o and boot the previous kernel. The preprocessor
	# mode detects .incbin and never caches that file.
	unset CCACHE_DEPEND
	export CCACHE_NODIRECT=1 ;;
x86_64) cross="" qemu=qemu-system-x86_64 ;;
riscv64) cross=riscv64-linux-gnu- qemu=qemu-system-riscv64 kunit_arch=riscv ;;
um) cross="" qemu="" ;;
*) die "unknown architecture '$arch'; use arm64, arm, x86_64, riscv64 or um." ;;
esac
[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
# KUNIT_FLAVOR picks another kunitconfig for the same architecture.
flavor=${KUNIT_FLAVOR:-$arch}
build=$WORK/build-$flavor
log=$WORK/kunit-$flavor.log
config=$TOP/kunit/$flavor.kunitconfig
if [ "$arch" = um ] && [ -z "${KUNIT_FLAVOR:-}" ]; then
	config=$TREE/drivers/gpu/drm/tests/.kunitconfig
fi
mkdir -p "$build"
# The commit the kernel is built from; its version string must carry it.
head=$(git -C "$TREE" rev-parse --short=12 HEAD)

say "base: Debian $BASE_PKG $(base_version); series: $(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD) patches"
say "$(${cross}gcc --version | head -n 1)${qemu:+; $($qemu --version | head -n 1)}"
say "KUnit on $arch: kunitconfig ${config#"$TOP"/}, build folder ${build#"$TOP"/}"
start=$(date +%s)
rc=0
rm -f "$build/test.log"
# kunit.py asks QEMU for KVM first, and a nested KVM can hang an x86_64
# guest without a word: hide /dev/kvm from the run, so that QEMU falls back
# to TCG, as it does for the Arm guests anyway.
nokvm=()
if [ "$arch" = x86_64 ] && [ -e /dev/kvm ] &&
   unshare -m sh -c 'mount --bind /dev/null /dev/kvm' 2>/dev/null; then
	nokvm=(unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh)
fi
# The version string must carry the commit, which is checked below.
# COMPILE_TEST rules out LOCALVERSION_AUTO, so x86_64 names it itself.
version=()
if [ "$arch" = x86_64 ]; then
	version=(--kconfig_add "CONFIG_LOCALVERSION=\"-g$head\"")
fi
(cd "$TREE" && "${nokvm[@]}" python3 tools/testing/kunit/kunit.py run --arch="$kunit_arch" \
	--cross_compile="$cross" --build_dir="$build" --kunitconfig="$config" \
	--jobs="$(nproc)" --make_options "CC=ccache ${cross}gcc" \
	--timeout=1800 "${version[@]}" "$@") >"$log" 2>&1 || rc=$?
say "kunit.py finished in $(( $(date +%s) - start ))s (exit $rc); log in ${log#"$TOP"/}"

# Judge the run from the raw kernel log: failed cases, crashes, KASAN,
# lockdep, and WARNINGs in the files the series touches.
touched=$( (git -C "$TREE" diff --name-only "$BASE_TAG"
	    git -C "$TREE" ls-files --others --exclude-standard) | sort -u)
grep -E '^\[[0-9:]+\] (Elapsed time|ERROR)' "$log" || true
# A kernel that does not carry the work tree's commit is a stale build.
if [ -f "$build/test.log" ] && ! grep -q "Linux version [^ ]*-g$head" "$build/test.log"; then
	echo "the kernel that ran is not a build of $head: stale build in ${build#"$TOP"/}; delete the folder and run again."
	exit 1
fi
rc2=0
# shellcheck disable=SC2086
python3 "$TOP/scripts/ktap-check.py" "$build/test.log" "$TOP/kunit/known-failures.txt" \
	"$arch" $touched || rc2=$?
if [ "$rc2" -ne 0 ] && [ "$rc" -ne 0 ] && ! grep -q 'KTAP version' "$build/test.log" 2>/dev/null; then
	tail -n 30 "$log"
	echo "kunit.py failed before any test ran (build or boot error); see ${log#"$TOP"/}."
fi
exit "$rc2"
