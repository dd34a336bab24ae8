#!/usr/bin/env bash
# Install the build dependencies, fetch the Linux 7.3 base from Debian and
# prepare the work tree (work/linux) with the series applied.
# Idempotent: a second run reuses the packages, the download and the tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-riscv64-linux-gnu
      qemu-system-arm qemu-system-x86 qemu-system-misc sparse ccache flex bison bc libssl-dev
      libelf-dev cpio python3 python3-ply python3-git dwarves git xz-utils rsync
      python3-sphinx python3-sphinx-rtd-theme python3-yaml)

install_missing_packages "sudo make setup" "${PKGS[@]}"

# Every command the targets run (the tests, the gates, the docs, the bench):
# a package list that misses one fails here, not in the middle of a gate.
TOOLS=(make gcc aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc riscv64-linux-gnu-gcc ccache flex bison bc perl
       python3 git xz rsync pahole sparse qemu-system-aarch64 qemu-system-arm
       qemu-system-x86_64 qemu-system-riscv64 sphinx-build dpkg-deb)
for t in "${TOOLS[@]}"; do
	command -v "$t" >/dev/null ||
		die "$t is still missing after the install; add its package to PKGS in scripts/setup.sh."
done

# The base: the Debian package of the version the series was made on
# (BASE-VERSION), from whichever suite of the machine's Debian mirror
# carries it. Each suite is read with a private apt state, so that nothing
# else on this machine can come from it.
mkdir -p "$DL"
version=$BASE_MADE_ON
deb=$DL/${BASE_PKG}_${version/:/%3a}_all.deb
if [ -f "$deb" ]; then
	say "base: $BASE_PKG $version, the version the series was made on, downloaded earlier"
else
	mirror=$(debian_mirror) ||
		die "found no Debian mirror of this machine's release in apt's sources; add one, or name one with DEBIAN_MIRROR=URL."
	say "looking for $BASE_PKG in ${BASE_SUITES[*]} at $mirror"
	if ! offers=$(base_offers "$mirror" "$version"); then
		deb=$(ls "$DL"/"$BASE_PKG"_*_all.deb 2>/dev/null | tail -n 1 || true)
		[ -n "$deb" ] ||
			die "could not read any package list at $mirror; check the network and run 'make setup' again."
		version=$(dpkg-deb -f "$deb" Version)
		say "could not read the archive, so the base is $BASE_PKG $version, downloaded earlier (the series was made on $BASE_MADE_ON)"
	elif suite=$(awk -v v="$version" '$1 == v { print $2; exit }' <<<"$offers") && [ -n "$suite" ]; then
		say "found $BASE_PKG $version, the version the series was made on, in $suite at $mirror"
		deb=$(fetch_base "$version" "$suite" "$mirror")
	elif [ -n "$offers" ]; then
		newest=$(newest_offer <<<"$offers")
		version=${newest%% *} suite=${newest#* }
		say "no suite offers $BASE_PKG $BASE_MADE_ON, the version the series was made on, any more; the newest one offered, $version in $suite at $mirror, becomes the base"
		deb=$(fetch_base "$version" "$suite" "$mirror")
	else
		die "no suite of ${BASE_SUITES[*]} at $mirror carries $BASE_PKG any more: the series needs a rebase onto the Linux that Debian ships now (BASE_PKG and BASE_SUITES in scripts/lib.sh, BASE-VERSION)."
	fi
fi
say "base: Debian $BASE_PKG $version (series made on $BASE_MADE_ON)"

if [ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify "$BASE_TAG" >/dev/null; then
	if [ "$(base_version)" != "$version" ]; then
		die "the work tree was made from $BASE_PKG $(base_version), but the base is now $version; run 'make reset-tree' to rebuild it (commit and export your work first)."
	fi
	say "reusing the work tree in $TREE"
else
	say "unpacking $BASE_PKG $version into $TREE and making the base commit (fixed identity, so its hash does not depend on the day)"
	make_base_tree "$deb" "$version" "$TREE"
	echo "$version" > "$WORK/base-version"
fi

# Apply the series if the tree holds none of it yet.
if [ "$(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD)" = 0 ]; then
	apply_series "$TREE" ||
		die "patch $FAILED_PATCH does not apply to $BASE_PKG $version (the series was made on $BASE_MADE_ON): the series needs a rebase onto this base."
	say "applied $APPLIED patches with git am"
else
	say "the series is already applied ($(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD) commits on $BASE_TAG)"
fi
say "setup done: edit in $TREE, then 'make export'; run the tests with 'make test'"
