#!/usr/bin/env bash
# Build what the userspace series touch and run what can run here, counting
# each step: "userspace: N passed, N failed" is the last line.
# - IGT, on this machine: libigt and the series' three tests; each test must
#   list its subtests and, with no GPU here, end with IGT's skip status.
# - Mesa's PowerVR Vulkan driver, in the trixie chroot that setup made.
# Both first check that their copies of the series' uAPI headers are what
# the kernel series exports. Builds run at nice 19, two jobs at most
# (USERSPACE_JOBS), so that kernel builds keep the machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
JOBS=${USERSPACE_JOBS:-2}
passed=0
failed=0
pass() { say "  ok: $*"; passed=$((passed + 1)); }
fail() { say "  FAILED: $*"; failed=$((failed + 1)); }

# The uAPI headers, as 'make headers_install' exports them from the series'
# commits, without touching the kernel work tree: a copy of the files the
# export needs, taken from its master branch.
[ -d "$TREE/.git" ] || die "no kernel work tree in $TREE; run 'make setup' first."
kcommit=$(git -C "$TREE" rev-parse master)
if [ "$(cat "$UHDR/commit" 2>/dev/null)" != "$kcommit" ]; then
	say "installing the uAPI headers of the kernel series (${kcommit:0:12}) into $UHDR"
	rm -rf "$UWORK/linux-headers" "$UHDR"
	mkdir -p "$UWORK/linux-headers"
	git -C "$TREE" archive master Makefile Kbuild Kconfig scripts include arch/x86 usr tools/include |
		tar -x -C "$UWORK/linux-headers"
	nice -n 19 make -s -C "$UWORK/linux-headers" ARCH=x86 headers_install INSTALL_HDR_PATH="$UHDR" >/dev/null
	echo "$kcommit" >"$UHDR/commit"
	rm -rf "$UWORK/linux-headers"
fi

# Whether tree $1 carries in folder $2 exactly the kernel series' headers $3...
check_uapi() {
	local tree=$1 dir=$2 h ok=0
	shift 2
	for h in "$@"; do
		if ! cmp -s "$UHDR/include/drm/$h" "$tree/$dir/$h"; then
			say "  $(basename "$tree"): $dir/$h is not the kernel series' $h" >&2
			ok=1
		fi
	done
	return $ok
}

mkdir -p "$UBUILD"
tree=$USRC/igt
say "igt: $(git -C "$tree" rev-list --count base..HEAD 2>/dev/null || echo no) commits on $(us_field igt 2 | cut -c1-12)"
if [ ! -d "$tree/.git" ]; then
	fail "igt: no work tree; run 'make -C userspace setup'"
elif ! check_uapi "$tree" include/drm-uapi panthor_drm.h panfrost_drm.h pvr_drm.h; then
	fail "igt: uAPI headers; sync them in the series (make -C userspace export)"
else
	pass "igt: uAPI headers are the kernel series'"
	start=$SECONDS
	if [ ! -f "$UBUILD/igt/build.ninja" ]; then
		nice -n 19 meson setup "$UBUILD/igt" "$tree" -Dtests=enabled -Drunner=disabled \
			-Dtestplan=disabled -Dsphinx=disabled -Dman=disabled -Ddocs=disabled \
			-Dchamelium=disabled -Dvalgrind=disabled -Doverlay=disabled -Dlibdrm_drivers= \
			-Dxe_eudebug=disabled -Dvmtb=disabled -Doping=disabled \
			>"$UBUILD/igt-setup.log" 2>&1 || true
	fi
	targets=(tests/panthor/panthor_bo_cache tests/panfrost/panfrost_bo_cache
		 tests/imagination/imagination_cpu_cached)
	if nice -n 19 ninja -C "$UBUILD/igt" -j"$JOBS" "${targets[@]}" >"$UBUILD/igt-build.log" 2>&1; then
		pass "igt: built libigt and ${#targets[@]} tests in $((SECONDS - start)) s"
		for t in "${targets[@]}"; do
			name=${t##*/}
			list=$("$UBUILD/igt/$t" --list-subtests 2>"$UBUILD/igt-list-$name.log") || list=
			n=$(grep -c . <<<"$list" || true)
			if [ "$n" -gt 0 ]; then
				pass "igt: $name lists $n subtests"
			else
				fail "igt: $name lists no subtest; see $UBUILD/igt-list-$name.log"
			fi
			rc=0
			"$UBUILD/igt/$t" >"$UBUILD/igt-run-$name.log" 2>&1 || rc=$?
			# 77: IGT's status for a run whose every subtest skipped.
			if [ $rc = 77 ]; then
				pass "igt: $name skips cleanly without its GPU"
			else
				fail "igt: $name exits $rc, not with a clean skip; see $UBUILD/igt-run-$name.log"
			fi
		done
	else
		fail "igt: the build failed; see $UBUILD/igt-build.log"
	fi
fi

tree=$USRC/mesa
root=$UWORK/trixie
say "mesa: $(git -C "$tree" rev-list --count base..HEAD 2>/dev/null || echo no) commits on $(us_field mesa 2)"
if [ ! -d "$tree/.git" ] || [ ! -f "$root/.ready" ]; then
	fail "mesa: no work tree or no chroot; run 'make -C userspace setup'"
elif ! check_uapi "$tree" include/drm-uapi pvr_drm.h; then
	fail "mesa: uAPI header; sync it in the series (make -C userspace export)"
else
	pass "mesa: include/drm-uapi/pvr_drm.h is the kernel series'"
	start=$SECONDS
	mkdir -p "$root/us"
	# The chroot sees work/userspace at /us, in a mount namespace of its own.
	if unshare -m sh -c 'mount --bind "$1" "$2/us" && exec chroot "$2" /usr/bin/env -i \
		PATH=/usr/bin:/bin HOME=/root JOBS="$3" sh -s' sh "$UWORK" "$root" "$JOBS" <<'IN' \
		>"$UBUILD/mesa-chroot.log" 2>&1
set -e
cd /us/src/mesa
if [ ! -f /us/build/mesa/build.ninja ]; then
	nice -n 19 meson setup /us/build/mesa . -Dvulkan-drivers=imagination \
		-Dgallium-drivers= -Dplatforms= -Dglx=disabled -Degl=disabled \
		-Dgles1=disabled -Dgles2=disabled -Dopengl=false \
		-Dbuildtype=debugoptimized >/us/build/mesa-setup.log 2>&1
fi
nice -n 19 ninja -C /us/build/mesa -j"$JOBS" \
	src/imagination/vulkan/libvulkan_powervr_mesa.so >/us/build/mesa-build.log 2>&1
IN
	then
		so=$UBUILD/mesa/src/imagination/vulkan/libvulkan_powervr_mesa.so
		if [ -f "$so" ]; then
			pass "mesa: built libvulkan_powervr_mesa.so in $((SECONDS - start)) s"
		else
			fail "mesa: the build left no libvulkan_powervr_mesa.so"
		fi
	else
		fail "mesa: the build failed; see $UBUILD/mesa-build.log and mesa-chroot.log"
	fi
fi

echo "userspace: $passed passed, $failed failed"
[ "$failed" = 0 ]
