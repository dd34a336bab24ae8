#!/usr/bin/env bash
# Install the series' uAPI headers from the kernel work tree, check that the
# copies the userspace series carry are those headers, and build what the
# userspace patches touch: Mesa's PowerVR Vulkan driver and IGT's tests of
# panthor, panfrost and PowerVR. Builds run at the lowest priority, two jobs
# at most (USERSPACE_JOBS), so that kernel builds keep the machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
us_meson_env
JOBS=${USERSPACE_JOBS:-2}

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

# Each project carries the headers it uses in a folder of its own; they must
# be exactly what the kernel series exports.
check_uapi() {
	local tree=$1 dir=$2 h bad=0
	shift 2
	for h in "$@"; do
		if ! cmp -s "$UHDR/include/drm/$h" "$tree/$dir/$h"; then
			say "$(basename "$tree"): $dir/$h differs from the kernel series' $h" >&2
			bad=1
		fi
	done
	[ $bad = 0 ] || die "the uAPI headers of $(basename "$tree") are not the kernel series'; sync them in its series (make -C userspace export)."
}

status=0
built=()
tree=$USRC/mesa
if [ -d "$tree/.git" ]; then
	check_uapi "$tree" include/drm-uapi pvr_drm.h
	if [ ! -f "$UBUILD/mesa/build.ninja" ]; then
		say "mesa: configuring the PowerVR Vulkan driver alone in $UBUILD/mesa"
		nice -n 19 "${MESON[@]}" setup "$UBUILD/mesa" "$tree" \
			-Dvulkan-drivers=imagination-experimental -Dgallium-drivers= -Dplatforms= \
			-Dglx=disabled -Degl=disabled -Dgbm=disabled -Dopengl=false -Dgles1=disabled \
			-Dgles2=disabled -Dllvm=disabled -Dshared-glapi=disabled -Dvideo-codecs= \
			-Dbuildtype=debugoptimized -Dwerror=false >"$UBUILD/mesa-setup.log" 2>&1 ||
			die "mesa: meson setup failed; see $UBUILD/mesa-setup.log."
	fi
	say "mesa: building libvulkan_powervr_mesa.so (-j$JOBS, nice 19)"
	start=$SECONDS
	nice -n 19 ninja -C "$UBUILD/mesa" -j"$JOBS" src/imagination/vulkan/libvulkan_powervr_mesa.so \
		>"$UBUILD/mesa-build.log" 2>&1 || die "mesa: the build failed; see $UBUILD/mesa-build.log."
	say "mesa: built in $((SECONDS - start)) s: $UBUILD/mesa/src/imagination/vulkan/libvulkan_powervr_mesa.so"
	built+=(mesa)
else
	say "mesa: no work tree; run 'make -C userspace setup' first"
	status=1
fi

tree=$USRC/igt
if [ -d "$tree/.git" ]; then
	check_uapi "$tree" include/drm-uapi panthor_drm.h panfrost_drm.h pvr_drm.h
	if [ ! -f "$UBUILD/igt/build.ninja" ]; then
		say "igt: configuring in $UBUILD/igt"
		nice -n 19 "${MESON[@]}" setup "$UBUILD/igt" "$tree" -Dtests=enabled -Drunner=disabled \
			-Dtestplan=disabled -Dsphinx=disabled -Dman=disabled -Ddocs=disabled \
			-Dchamelium=disabled -Dvalgrind=disabled -Doverlay=disabled -Dlibdrm_drivers= \
			>"$UBUILD/igt-setup.log" 2>&1 || die "igt: meson setup failed; see $UBUILD/igt-setup.log."
	fi
	# The tests of userspace/igt/tests, in IGT's per-driver folders.
	targets=(tests/panthor/panthor_bo_cache tests/panfrost/panfrost_bo_cache
		 tests/imagination/imagination_cpu_cached)
	say "igt: building ${targets[*]##*/} (-j$JOBS, nice 19)"
	start=$SECONDS
	nice -n 19 ninja -C "$UBUILD/igt" -j"$JOBS" "${targets[@]}" >"$UBUILD/igt-build.log" 2>&1 ||
		die "igt: the build failed; see $UBUILD/igt-build.log."
	say "igt: built in $((SECONDS - start)) s; each test, run without its device:"
	for t in "${targets[@]}"; do
		rc=0
		"$UBUILD/igt/$t" >"$UBUILD/igt-run-${t##*/}.log" 2>&1 || rc=$?
		# IGT's exit code for a run whose every subtest skipped.
		if [ $rc = 77 ]; then
			n=$(grep -c '^Subtest' "$UBUILD/igt/$t.list" 2>/dev/null) || n=all
			say "  ${t##*/}: skipped ($n subtests)"
		else
			say "  ${t##*/}: exit $rc, not a clean skip; see $UBUILD/igt-run-${t##*/}.log"
			status=1
		fi
	done
	built+=(igt)
else
	say "igt: no work tree (its source could not be fetched); nothing built"
	status=1
fi
say "userspace: built ${built[*]:-nothing}"
exit $status
