#!/usr/bin/env bash
# Install the build dependencies, fetch the Linux 7.3 base from Debian and
# prepare the work tree (work/linux) with the series applied.
# Idempotent: a second run reuses the packages, the download and the tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(build-essential gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf
      qemu-system-arm qemu-system-x86 sparse ccache flex bison bc libssl-dev
      libelf-dev cpio python3 python3-ply python3-git dwarves git xz-utils rsync
      python3-sphinx python3-sphinx-rtd-theme python3-yaml)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing from bookworm: ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "installing packages needs root; run 'sudo make setup'."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
else
	say "build dependencies already installed"
fi

# The base comes from trixie-backports. Use a private sources list and apt
# state so that nothing else on this machine can be upgraded from trixie.
mkdir -p "$DL"
deb=$(ls "$DL"/"$BASE_PKG"_*_all.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	say "fetching $BASE_PKG from Debian $BASE_SUITE (only that package)"
	apt_dir=$DL/apt
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $BASE_SUITE main" \
		> "$apt_dir/sources.list"
	apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list"
		  -o Dir::Etc::SourceParts=/dev/null
		  -o Dir::State::Lists="$apt_dir/lists"
		  -o Dir::Cache="$apt_dir/cache"
		  -o APT::Sandbox::User=root)
	apt-get "${apt_opts[@]}" update -qq ||
		die "could not read the $BASE_SUITE package list; check the network and run 'make setup' again."
	(cd "$DL" && apt-get "${apt_opts[@]}" download -qq "$BASE_PKG") ||
		die "could not download $BASE_PKG from $BASE_SUITE; run 'make setup' again."
	deb=$(ls "$DL"/"$BASE_PKG"_*_all.deb | tail -n 1)
fi
version=$(dpkg-deb -f "$deb" Version)
say "base: Debian $BASE_PKG $version (series made on $BASE_MADE_ON)"

if [ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify "$BASE_TAG" >/dev/null; then
	if [ "$(base_version)" != "$version" ]; then
		die "the work tree was made from $BASE_PKG $(base_version), but $version is what was fetched; run 'make reset-tree' to rebuild it (commit and export your work first)."
	fi
	say "reusing the work tree in $TREE"
else
	say "unpacking $BASE_PKG $version into $TREE"
	rm -rf "$TREE" "$WORK/linux.tmp"
	mkdir -p "$WORK/linux.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$BASE_PKG.tar.xz" |
		tar -xJ -C "$WORK/linux.tmp" --strip-components=1
	mv "$WORK/linux.tmp" "$TREE"
	# Debian's tree ignores every top-level path in .gitignore, which would
	# hide the files the series adds from git. Drop that block only.
	python3 - "$TREE/.gitignore" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'#\n# Debian packaging: ignore everything.*?\n!/debian/\n', '', s, flags=re.S)
open(p, 'w').write(s)
PY
	if grep -qx '/\*' "$TREE/.gitignore"; then
		die "could not drop the Debian block of .gitignore that hides new files; update scripts/setup.sh for this base."
	fi
	say "making the base commit (fixed identity, so its hash does not depend on the day)"
	git -C "$TREE" init -q -b master
	git -C "$TREE" config core.autocrlf false
	git -C "$TREE" config gc.auto 0
	git -C "$TREE" config user.name "${GIT_AUTHOR_NAME:-$(git -C "$TOP" config user.name || echo gem-sync)}"
	git -C "$TREE" config user.email "${GIT_AUTHOR_EMAIL:-$(git -C "$TOP" config user.email || echo gem-sync@localhost)}"
	git -C "$TREE" add -A -f .
	GIT_AUTHOR_NAME="Debian $BASE_PKG" GIT_AUTHOR_EMAIL="$BASE_PKG@debian.invalid" \
	GIT_COMMITTER_NAME="Debian $BASE_PKG" GIT_COMMITTER_EMAIL="$BASE_PKG@debian.invalid" \
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$TREE" commit -q --no-verify -m "Linux base: Debian $BASE_PKG $version" \
			-m "The tree of the package, but for the Debian packaging block of .gitignore, which ignores every top-level path."
	git -C "$TREE" tag "$BASE_TAG"
	echo "$version" > "$WORK/base-version"
fi

# Apply the series if the tree holds none of it yet.
if [ "$(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD)" = 0 ]; then
	shopt -s nullglob
	series=("$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch)
	series=("${series[@]/*\/0000-cover-letter.patch/}")
	n=0
	for p in "${series[@]}"; do
		[ -n "$p" ] || continue
		if ! git -C "$TREE" am -q --keep-cr "$p" >/dev/null 2>&1; then
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			git -C "$TREE" reset -q --hard "$BASE_TAG"
			die "patch $(basename "$p") does not apply to $BASE_PKG $version (the series was made on $BASE_MADE_ON): the series needs a rebase onto this base."
		fi
		n=$((n + 1))
	done
	say "applied $n patches with git am"
else
	say "the series is already applied ($(git -C "$TREE" rev-list --count "$BASE_TAG"..HEAD) commits on $BASE_TAG)"
fi
say "setup done: edit in $TREE, then 'make export'; run the tests with 'make test'"
