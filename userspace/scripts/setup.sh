#!/usr/bin/env bash
# Install what the userspace builds need, unpack IGT and Mesa from upstream
# snapshots and apply their series (work/userspace/src/igt, .../mesa).
# IGT builds on this machine's own release; Mesa main needs newer SPIRV-Tools
# and LLVM than bookworm has, so it is built in a Debian trixie chroot
# (work/userspace/trixie) made from the machine's own mirror.
# Idempotent: a second run reuses the packages, the chroot and the trees.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential pkg-config meson ninja-build python3 python3-mako
      libdrm-dev libkmod-dev libproc2-dev libdw-dev libunwind-dev libcairo2-dev
      libpixman-1-dev libudev-dev libglib2.0-dev libpciaccess-dev libssl-dev
      libzstd-dev libexpat1-dev flex bison git xz-utils debootstrap)
install_missing_packages "sudo make userspace" "${PKGS[@]}"
mkdir -p "$USRC" "$UBUILD"

# Unpacks project $1 from its source and applies its series, unless its tree
# already has commits on base.
prepare() {
	local name=$1 src tree=$USRC/$1 p
	us_series "$name"
	if [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify base >/dev/null; then
		say "$name: reusing the work tree in $tree"
	else
		src=$(us_source "$name")
		[ -n "$src" ] || die "$name: no source. Set $(echo "$name" | tr '[:lower:]' '[:upper:]')_SRC to a checkout or tarball of upstream commit $(us_field "$name" 2), or put $(us_field "$name" 4) in VENDOR_DIR ($VENDOR_DIR); userspace/README.md says how to get it."
		say "$name: unpacking $src into $tree"
		us_make_tree_"$name" "$tree" "$src"
	fi
	if [ "$(git -C "$tree" rev-list --count base..HEAD)" = 0 ] && [ ${#US_SERIES[@]} -gt 0 ]; then
		for p in "${US_SERIES[@]}"; do
			git -C "$tree" am -q --keep-cr "$p" >/dev/null 2>&1 || {
				git -C "$tree" am --abort >/dev/null 2>&1 || true
				git -C "$tree" reset -q --hard base
				die "$name: $(basename "$p") does not apply to $(us_field "$name" 2): the series needs a rebase."
			}
		done
		say "$name: applied ${#US_SERIES[@]} patches with git am"
	else
		say "$name: $(git -C "$tree" rev-list --count base..HEAD) commits on base already"
	fi
}

# IGT: the snapshot lacks lib/i915/perf-configs/oa-acmgt{1,2,3}.xml (Intel OA
# metrics, several MB each), which lib/meson.build lists; without them the
# build is dropped from that list, in the base commit, which says so.
us_make_tree_igt() {
	local tree=$1 src=$2 msg
	msg="IGT GPU Tools $(us_field igt 3), upstream commit $(us_field igt 2)"
	us_make_tree "$tree" "$src" "$msg"
	if [ ! -f "$tree/lib/i915/perf-configs/oa-acmgt1.xml" ]; then
		sed -i "/^i915_perf_hardware = \[/,/^\]/{/'acmgt1', 'acmgt2', 'acmgt3',/d}" "$tree/lib/meson.build"
		git -C "$tree" commit -q -a --amend --no-verify -m "$msg" -m \
"The source lacks lib/i915/perf-configs/oa-acmgt{1,2,3}.xml, so acmgt1,
acmgt2 and acmgt3 are dropped from i915_perf_hardware in lib/meson.build.
Nothing outside Intel's i915 perf library uses them."
		git -C "$tree" tag -f base >/dev/null
		say "igt: the source lacks the acmgt OA metric files; dropped from lib/meson.build"
	fi
}

us_make_tree_mesa() {
	us_make_tree "$1" "$2" "Mesa $(us_field mesa 3), upstream commit $(us_field mesa 2)"
}

prepare igt

# Mesa's build-dependencies, in a trixie chroot of this machine's mirror.
TRIXIE_PKGS=(build-essential meson ninja-build pkg-config python3-mako python3-yaml
	     python3-packaging python3-ply python3-pycparser libdrm-dev libexpat1-dev
	     zlib1g-dev libzstd-dev llvm-19-dev libclang-19-dev libclang-cpp19-dev
	     libclc-19-dev llvm-spirv-19 libllvmspirvlib-19-dev spirv-tools glslang-tools
	     flex bison libudev-dev libelf-dev)
root=$UWORK/trixie
if [ ! -f "$root/.ready" ]; then
	mirror=$(debian_mirror) ||
		die "found no Debian mirror in apt's sources; name one with DEBIAN_MIRROR=URL."
	say "mesa: making a trixie chroot in $root from $mirror"
	rm -rf "$root"
	debootstrap --variant=minbase trixie "$root" "$mirror" >"$UWORK/debootstrap.log" 2>&1 ||
		die "debootstrap failed; see $UWORK/debootstrap.log."
	say "mesa: installing its build-dependencies in the chroot"
	chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${TRIXIE_PKGS[@]}" >"$UWORK/trixie-apt.log" 2>&1 ||
		die "installing Mesa's build-dependencies in the chroot failed; see $UWORK/trixie-apt.log."
	touch "$root/.ready"
fi
prepare mesa
say "userspace setup done: edit in $USRC/<project>, then 'make -C userspace export'"
