#!/usr/bin/env bash
# Install the userspace build dependencies, fetch Meson, Mesa and IGT from
# Debian and make a work tree of each with its series applied
# (work/userspace/src/mesa, work/userspace/src/igt).
# Idempotent: a second run reuses the packages, the downloads and the trees.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Mesa's PowerVR Vulkan driver and IGT, from bookworm.
PKGS=(build-essential pkg-config ninja-build python3 python3-mako python3-yaml
      python3-packaging libdrm-dev libexpat1-dev zlib1g-dev libzstd-dev
      libpciaccess-dev libkmod-dev libproc2-dev libdw-dev libunwind-dev
      libcairo2-dev libpixman-1-dev libudev-dev libglib2.0-dev libssl-dev
      flex bison dpkg-dev git xz-utils)
install_missing_packages "sudo make userspace" "${PKGS[@]}"

mkdir -p "$UDL" "$USRC" "$UTOOLS"
mirror=

# Downloads source package $2 ($3, binary package when $4 is "deb") of
# project $1 into $UDL from the first suite that offers that version.
# Fails, saying why, when no suite offers it or its files cannot be fetched.
fetch() {
	local name=$1 pkg=$2 version=$3 kind=$4 suite found= listed
	[ -n "$mirror" ] || mirror=$(debian_mirror) ||
		die "found no Debian mirror of this machine's release in apt's sources; add one, or name one with DEBIAN_MIRROR=URL."
	for suite in $(us_suites "$name"); do
		us_private_apt "$suite" "$mirror" || continue
		if [ "$kind" = deb ]; then
			# grep reads a captured list: a pipe into grep -q can fail under
			# pipefail when apt-cache dies of SIGPIPE after grep exits.
			listed=$(apt-cache "${APT_OPTS[@]}" madison "$pkg" 2>/dev/null || true)
			grep -q "| *$version *|.*Packages" <<<"$listed" || continue
			found=$suite
			(cd "$UDL" && apt-get "${APT_OPTS[@]}" download -qq "$pkg=$version" >/dev/null 2>&1) && break
		else
			listed=$(apt-cache "${APT_OPTS[@]}" showsrc "$pkg" 2>/dev/null || true)
			grep -q "^Version: $version\$" <<<"$listed" || continue
			found=$suite
			(cd "$UDL" && apt-get "${APT_OPTS[@]}" source --download-only -qq "$pkg=$version" >/dev/null 2>&1) && break
		fi
		say "$suite at $mirror lists $pkg $version, but its files could not be downloaded" >&2
		return 1
	done
	if [ -z "$found" ]; then
		say "no suite of $(us_suites "$name" | xargs) at $mirror offers $pkg $version" >&2
		return 1
	fi
	say "downloaded $pkg $version from $found at $mirror"
}

# Whether source package $1 (a .dsc) and every file it lists are in $UDL.
have_source() {
	local f
	[ -f "$1" ] || return 1
	for f in $(awk '/^Files:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $3 }' "$1"); do
		[ -f "$UDL/$f" ] || return 1
	done
}

# Unpacks source package $2 into tree $1 and makes it a git repository whose
# base commit, tagged base, has a fixed identity and date, like the kernel's.
make_tree() {
	local tree=$1 dsc=$2 name
	name=$(basename "$tree")
	rm -rf "$tree" "$tree.tmp"
	dpkg-source -q -x "$dsc" "$tree.tmp" >/dev/null 2>&1
	mv "$tree.tmp" "$tree"
	commit_base_tree "$tree" "$name" base "Debian source package $(basename "${dsc%.dsc}")" \
		"The tree as dpkg-source -x unpacks it, Debian's patches applied."
}

# Meson: a newer one than bookworm's, unpacked into work/, not installed.
meson_version=$(us_field meson 3)
meson_deb=$UDL/meson_${meson_version}_all.deb
if [ ! -x "$UTOOLS/meson/usr/bin/meson" ]; then
	[ -f "$meson_deb" ] || fetch meson meson "$meson_version" deb ||
		die "could not fetch meson $meson_version; check the network, or name another version in userspace/VERSIONS."
	rm -rf "$UTOOLS/meson"
	dpkg-deb -x "$meson_deb" "$UTOOLS/meson"
fi
us_meson_env
say "meson $("${MESON[@]}" --version), unpacked in $UTOOLS/meson"

status=0
for name in mesa igt; do
	pkg=$(us_field "$name" 2) version=$(us_field "$name" 3)
	tree=$USRC/$name
	us_series "$name"
	if [ -d "$tree/.git" ] && git -C "$tree" rev-parse -q --verify base >/dev/null; then
		say "$name: reusing the work tree in $tree"
	else
		dsc=$UDL/${pkg}_${version#*:}.dsc
		if ! have_source "$dsc"; then
			if ! fetch "$name" "$pkg" "$version" src; then
				say "$name: skipped: Debian's $pkg $version source cannot be had from this machine's mirror, so its series is neither applied nor built here."
				status=1
				continue
			fi
		fi
		say "$name: unpacking $pkg $version into $tree"
		make_tree "$tree" "$dsc"
	fi
	if [ "$(git -C "$tree" rev-list --count base..HEAD)" = 0 ] && [ ${#US_SERIES[@]} -gt 0 ]; then
		for p in "${US_SERIES[@]}"; do
			git -C "$tree" am -q --keep-cr "$p" >/dev/null 2>&1 || {
				git -C "$tree" am --abort >/dev/null 2>&1 || true
				git -C "$tree" reset -q --hard base
				die "$name: $(basename "$p") does not apply to $pkg $version: the series needs a rebase."
			}
		done
		say "$name: applied ${#US_SERIES[@]} patches with git am"
	else
		say "$name: $(git -C "$tree" rev-list --count base..HEAD) commits on base already"
	fi
done
echo "$status" >"$UWORK/setup-status"
say "userspace setup done: edit in $USRC/<project>, then 'make -C userspace export'"
