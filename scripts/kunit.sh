#!/usr/bin/env bash
# Build the series' KUnit kernel and run it under QEMU.
#   scripts/kunit.sh ARCH [kunit.py exec options...]
#   ARCH: arm64, arm, x86_64 or riscv64, each with kunit/ARCH.kunitconfig;
#   um: User Mode Linux with drivers/gpu/drm/tests/.kunitconfig as it is in
#   the tree, the run DRM developers start with.
#   KUNIT_FLAVOR=NAME: use kunit/NAME.kunitconfig and work/build-NAME, and
#   boot it once with the given options (the benchmark).
#
# One build, several boots. Each test module of the series (series_modules
# in scripts/lib.sh) boots on its own first, so that no base test can
# switch lock debugging off before a series case runs (a base bridge test
# does, see kunit/known-failures.txt); then one boot runs every other
# suite. The arm64 kernel has CONFIG_DMA_API_DEBUG, so that the DMA layer
# judges every mapping the tests make and every sync the drivers' tests
# issue (their stubs pass each piece on to the DMA API), and the series'
# modules but panfrost's boot once more with swiotlb=force, where every
# mapping bounces and every sync copies.
#
# Fails on any failed case, crash, KASAN report, lockdep splat or DMA-API
# error (see scripts/ktap-check.py), on lock debugging turned off before or
# during a series suite, and on a series module none of whose cases passed;
# ends with the line "ARCH: N passed, N failed", summed over the boots.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: scripts/kunit.sh arm64|arm|x86_64|riscv64|um [kunit.py exec options]}
shift
# kunit.py's name of the architecture, where it differs, and the test
# modules of the series that the architecture's kernel has.
kunit_arch=$arch
series=$(series_modules "$arch")
swiotlb=0
case "$arch" in
arm64) cross=aarch64-linux-gnu- qemu=qemu-system-aarch64 swiotlb=1 ;;
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
# The boots of a test run choose their suites with --filter themselves.
if [ -z "${KUNIT_FLAVOR:-}" ]; then
	for a in "$@"; do
		case "$a" in
		--filter|--filter=*|--filter_glob*) die "scripts/kunit.sh picks the suites of each boot itself; run kunit.py exec in ${WORK#"$TOP"/}/linux for other filters." ;;
		esac
	done
fi
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
say "$(${cross}gcc --version | sed -n 1p)${qemu:+; $($qemu --version | sed -n 1p)}"
say "KUnit on $arch: kunitconfig ${config#"$TOP"/}, build folder ${build#"$TOP"/}"
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
common=(--arch="$kunit_arch" --cross_compile="$cross" --build_dir="$build" --kunitconfig="$config")

start=$(date +%s)
rc=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py build "${common[@]}" \
	--jobs="$(nproc)" --make_options "CC=ccache ${cross}gcc" \
	"${version[@]}") >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	tail -n 30 "$log"
	echo "kunit.py could not build the kernel; see ${log#"$TOP"/}."
	echo "$arch: 0 passed, 1 failed"
	exit 1
fi
say "built in $(( $(date +%s) - start ))s; log in ${log#"$TOP"/}"

# The files the series touches: a WARNING in one of them is a failure.
touched=$( (git -C "$TREE" diff --name-only "$BASE_TAG"
	    git -C "$TREE" ls-files --others --exclude-standard) | sort -u)
passed=0
failed=0
# Only this run's boots leave raw logs.
rm -f "$build"/test-*.log

# boot NAME [kunit.py exec options]: boots the kernel once, keeps its raw
# log as test-NAME.log and judges it. Series boots name their module with
# SERIES_BOOT=MODULE, which must then run at least one suite.
boot() {
	local name=$1 out=$build/test-$1.log line p f rc2=0 t
	shift
	t=$(date +%s)
	rm -f "$build/test.log"
	(cd "$TREE" && "${nokvm[@]}" python3 tools/testing/kunit/kunit.py exec "${common[@]}" \
		--timeout=1800 "$@") >>"$log" 2>&1 || true
	if [ ! -f "$build/test.log" ]; then
		echo "$name: the kernel did not boot; see ${log#"$TOP"/}."
		failed=$((failed + 1))
		return
	fi
	mv "$build/test.log" "$out"
	# A kernel that does not carry the work tree's commit is a stale build.
	if ! grep -q "Linux version [^ ]*-g$head" "$out"; then
		echo "$name: the kernel that ran is not a build of $head: stale build in ${build#"$TOP"/}; delete the folder and run again."
		failed=$((failed + 1))
		return
	fi
	# shellcheck disable=SC2086
	line=$(python3 "$TOP/scripts/ktap-check.py" --series "${series// /,}" \
		${SERIES_BOOT:+--require-module "$SERIES_BOOT"} \
		"$out" "$TOP/kunit/known-failures.txt" "$name" $touched) || rc2=$?
	printf '%s\n' "$line"
	line=$(tail -n 1 <<<"$line")
	p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
	f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
	[ "$rc2" -eq 0 ] || [ "${f:-1}" -gt 0 ] || failed=$((failed + 1))
	say "$name: booted and judged in $(( $(date +%s) - t ))s; raw log ${out#"$TOP"/}"
}

if [ -n "${KUNIT_FLAVOR:-}" ]; then
	boot "$flavor" "$@"
else
	exclude=""
	for m in $series; do
		SERIES_BOOT=$m boot "$arch-$m" --filter "speed>slow,module=$m" "$@"
		exclude="$exclude,module!=$m"
	done
	boot "$arch-base" --filter "speed>slow$exclude" "$@"
	if [ "$swiotlb" -eq 1 ]; then
		# Not panfrost: io-pgtable refuses GPU page tables that bounce,
		# so it cannot open a file there, and its suites skip.
		for m in ${series/panfrost_test/}; do
			SERIES_BOOT=$m boot "$arch-swiotlb-$m" --filter "speed>slow,module=$m" \
				--kernel_args=swiotlb=force "$@"
		done
	fi
fi
say "kunit.py finished in $(( $(date +%s) - start ))s"
echo "$arch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
