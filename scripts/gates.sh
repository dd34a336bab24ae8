#!/usr/bin/env bash
# Quality gates of the series beyond 'make test':
#   bisect     every patch, applied in order, builds (arm64, the drivers and KUnit on)
#   stable     every fix for stable applies to the base alone and builds there
#   warnings   the files the series touches build with W=1 and sparse (C=2) with
#              no warning the base does not already have
#   kerneldoc  scripts/kernel-doc -none -Wall: no new warning in touched files
#   x86        x86_64 COMPILE_TEST build of DRM core, panthor and panfrost
#   abi        uAPI structs: existing ones keep size and offsets on arm64, arm
#              and x86_64; new ones have one layout on 32 and 64 bits
# Usage: scripts/gates.sh [GATE...]   (default: all of them, in that order)
# Needs a clean work tree with the series committed; leaves HEAD checked out.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "the work tree has uncommitted edits; commit them first, the gates check out each patch."

A64=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc")
B64=$WORK/build-arm64
head=$(git -C "$TREE" rev-parse HEAD)
branch=$(git -C "$TREE" symbolic-ref -q --short HEAD || echo "")
trap 'git -C "$TREE" checkout -q "${branch:-$head}"' EXIT
checkout() { git -C "$TREE" checkout -q --detach "$1"; }

# Files the series adds or changes (not those it deletes).
touched() { git -C "$TREE" diff --name-only --diff-filter=d "$BASE_TAG" "$head"; }

need_config() {
	[ -f "$B64/.config" ] || die "no arm64 build in $B64; run 'make test' once first."
}

# Builds the checked-out tree in the arm64 folder, logging to work/$1.log;
# on failure prints the first errors and returns 1.
build_arm64() {
	make -s -C "$TREE" O="$B64" "${A64[@]}" -j"$(nproc)" >"$WORK/$1.log" 2>&1 && return 0
	grep -E ': (fatal )?(error|Error):' "$WORK/$1.log" | head -n 10
	return 1
}

gate_bisect() {
	need_config
	local c n=0 total subject
	total=$(git -C "$TREE" rev-list --count "$BASE_TAG..$head")
	for c in $(git -C "$TREE" rev-list --reverse "$BASE_TAG..$head"); do
		n=$((n + 1))
		subject=$(git -C "$TREE" log -1 --format=%s "$c")
		checkout "$c"
		if ! build_arm64 bisect; then
			echo "bisect: patch $n/$total does not build: $subject (log in work/bisect.log)"
			return 1
		fi
		say "bisect: patch $n/$total builds: $subject"
	done
}

# Every fix for stable (a commit with "Cc: stable@vger.kernel.org") applies
# to the base alone and builds there: stable kernels take it without the
# rest of the series.
gate_stable() {
	need_config
	local c n=0 subject
	for c in $(git -C "$TREE" rev-list --reverse "$BASE_TAG..$head"); do
		git -C "$TREE" log -1 --format=%B "$c" | grep -qx 'Cc: stable@vger.kernel.org' || continue
		n=$((n + 1))
		subject=$(git -C "$TREE" log -1 --format=%s "$c")
		checkout "$BASE_TAG"
		if ! git -C "$TREE" cherry-pick --no-commit "$c" >"$WORK/stable.log" 2>&1; then
			git -C "$TREE" reset -q --hard
			echo "stable: does not apply to the base alone: $subject"
			return 1
		fi
		if ! build_arm64 stable; then
			git -C "$TREE" reset -q --hard
			echo "stable: does not build on the base alone: $subject (log in work/stable.log)"
			return 1
		fi
		git -C "$TREE" reset -q --hard
		say "stable: applies to and builds on the base alone: $subject"
	done
	[ $n -gt 0 ] || say "stable: no fix for stable in the series"
}

# The kernel needs a sparse that knows __typeof_unqual__: bookworm's 0.6.4
# does not, so build the one of Debian's sid source package (no install).
SPARSE=$WORK/tools/sparse/sparse
ensure_sparse() {
	local valid="$TREE/scripts/checker-valid.sh" apt_dir=$WORK/tools/apt src
	if sh "$valid" sparse -m64 | grep -qx 1; then
		SPARSE=sparse
		return
	fi
	[ -x "$SPARSE" ] && sh "$valid" "$SPARSE" -m64 | grep -qx 1 && return
	say "warnings: building sparse from Debian's sid source package (bookworm's is too old for this kernel)"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$WORK/tools/src"
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" \
		>"$apt_dir/sources.list"
	local opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache"
		    -o APT::Sandbox::User=root)
	apt-get "${opts[@]}" update -qq
	(cd "$WORK/tools/src" && apt-get "${opts[@]}" source -qq --download-only sparse >/dev/null)
	src=$(ls "$WORK"/tools/src/sparse_*.orig.tar.* | tail -n 1)
	rm -rf "$WORK/tools/sparse"
	mkdir -p "$WORK/tools/sparse"
	tar -xf "$src" -C "$WORK/tools/sparse" --strip-components=1
	make -s -C "$WORK/tools/sparse" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_SQLITE=no \
		HAVE_GTK=no HAVE_LIBXML=no >/dev/null
	sh "$valid" "$SPARSE" -m64 | grep -qx 1 ||
		die "warnings: the sparse built from $(basename "$src") is not usable for this kernel."
}

# What "$2 FILE" prints for file $1 on the series and not on the base. The
# printers drop line numbers, so that a message at a moved line compares
# equal.
new_in_series() {
	local f=$1 print=$2 base_w=""
	if git -C "$TREE" cat-file -e "$BASE_TAG:$f" 2>/dev/null; then
		checkout "$BASE_TAG"
		base_w=$("$print" "$f")
	fi
	checkout "$head"
	comm -13 <(echo "$base_w") <("$print" "$f") | sed '/^$/d'
}

# Fails, saying what, when "$3 FILE" prints something for file $2 on the
# series that it does not print on the base; $1 names the gate.
check_new() {
	local new
	new=$(new_in_series "$2" "$3")
	[ -z "$new" ] && return 0
	echo "$1: new in $2:"
	echo "$new" | sed 's/^/    /'
	return 1
}

# W=1 and sparse warnings of one C file's object, in that file.
object_warnings() {
	local src=$1 obj=${1%.c}.o
	rm -f "$B64/$obj"
	make -C "$TREE" O="$B64" "${A64[@]}" W=1 C=2 CHECK="$SPARSE" "$obj" 2>&1 >/dev/null |
		grep -E 'warning:|error:' | grep -F "$src:" |
		sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | sort || true
}

gate_warnings() {
	need_config
	ensure_sparse
	local f bad=0
	for f in $(touched | grep -E '\.c$' || true); do
		# Only objects that this configuration builds.
		[ -f "$B64/${f%.c}.o" ] ||
			{ say "warnings: $f is not built in this configuration, skipped"; continue; }
		if check_new warnings "$f" object_warnings; then
			say "warnings: $f: nothing new with W=1 and sparse"
		else
			bad=1
		fi
	done
	# Put the normal objects back.
	make -s -C "$TREE" O="$B64" "${A64[@]}" -j"$(nproc)" >/dev/null 2>&1 || true
	return $bad
}

file_kerneldoc() {
	(cd "$TREE" && scripts/kernel-doc -none -Wall "$1" 2>&1) |
		sed -E 's/:[0-9]+ / /' | sort || true
}

gate_kerneldoc() {
	local f bad=0
	for f in $(touched | grep -E '\.(c|h)$' || true); do
		check_new kerneldoc "$f" file_kerneldoc || bad=1
	done
	[ $bad -eq 0 ] && say "kerneldoc: no new kernel-doc warning in the touched files"
	return $bad
}

gate_x86() {
	local b=$WORK/build-x86_64-compile-test
	checkout "$head"
	mkdir -p "$b"
	if [ ! -f "$b/.config" ]; then
		make -s -C "$TREE" O="$b" ARCH=x86_64 allnoconfig >/dev/null
		"$TREE/scripts/config" --file "$b/.config" -e 64BIT -e MMU -e PM -e COMPILE_TEST \
			-e DRM -e DRM_PANTHOR -e DRM_PANFROST
		make -s -C "$TREE" O="$b" ARCH=x86_64 olddefconfig >/dev/null
	fi
	grep -q '^CONFIG_DRM_PANTHOR=y' "$b/.config" && grep -q '^CONFIG_DRM_PANFROST=y' "$b/.config" ||
		die "x86: panthor or panfrost is not enabled by the x86_64 COMPILE_TEST config; see $b/.config."
	if ! make -s -C "$TREE" O="$b" ARCH=x86_64 "CC=ccache gcc" -j"$(nproc)" \
		drivers/gpu/drm/ >"$WORK/x86.log" 2>&1; then
		grep -E ': (fatal )?(error|Error):' "$WORK/x86.log" | head -n 10
		echo "x86: the x86_64 COMPILE_TEST build of DRM, panthor and panfrost fails (log in work/x86.log)"
		return 1
	fi
	say "x86: DRM core, panthor and panfrost build on x86_64 with COMPILE_TEST"
}

# pahole of every struct of the uAPI headers, for one tree and architecture.
abi_layout() {
	local rev=$1 arch=$2 cc=$3 out=$4 hdr=$WORK/abi/hdr-$arch
	checkout "$rev"
	rm -rf "$hdr"
	make -s -C "$TREE" O="$WORK/abi/obj-$arch" ARCH="$arch" headers_install \
		INSTALL_HDR_PATH="$hdr" >/dev/null
	printf '#include <drm/drm.h>\n#include <drm/panthor_drm.h>\n#include <drm/panfrost_drm.h>\n#include <drm/pvr_drm.h>\n' \
		>"$WORK/abi/uapi.c"
	$cc -g -fno-eliminate-unused-debug-types -I"$hdr/include" -c "$WORK/abi/uapi.c" \
		-o "$WORK/abi/uapi-$arch.o"
	pahole --suppress_aligned_attribute "$WORK/abi/uapi-$arch.o" >"$out"
}

# One struct's layout from a pahole dump, without comments on cachelines.
struct_layout() {
	awk -v s="struct $2 {" '$0 == s {p=1} p {print} p && /^};/ {exit}' "$1" |
		grep -vE 'last cacheline|^\s*$'
}

# Whether struct $1 has the same layout in two pahole dumps; says how not.
same_layout() {
	local d
	d=$(diff <(struct_layout "$2" "$1") <(struct_layout "$3" "$1")) && return 0
	echo "abi: $4:"
	echo "$d" | sed 's/^/    /'
	return 1
}

gate_abi() {
	local arch cc bad=0 s
	mkdir -p "$WORK/abi"
	for arch in arm64 arm x86_64; do
		case $arch in
		arm64) cc=aarch64-linux-gnu-gcc ;;
		arm) cc=arm-linux-gnueabihf-gcc ;;
		x86_64) cc=gcc ;;
		esac
		abi_layout "$BASE_TAG" "$arch" "$cc" "$WORK/abi/base-$arch.txt"
		abi_layout "$head" "$arch" "$cc" "$WORK/abi/head-$arch.txt"
	done
	checkout "$head"
	for s in $(sed -nE 's/^struct ([a-z_0-9]+) \{$/\1/p' "$WORK/abi/head-arm64.txt" | sort -u); do
		if grep -q "^struct $s {\$" "$WORK/abi/base-arm64.txt"; then
			for arch in arm64 arm x86_64; do
				same_layout "$s" "$WORK/abi/base-$arch.txt" "$WORK/abi/head-$arch.txt" \
					"struct $s changed on $arch" || bad=1
			done
		else
			local ok=1
			for arch in arm x86_64; do
				same_layout "$s" "$WORK/abi/head-arm64.txt" "$WORK/abi/head-$arch.txt" \
					"new struct $s has another layout on $arch than on arm64" || ok=0
			done
			[ $ok -eq 1 ] && say "abi: new struct $s has one layout on arm64, arm and x86_64"
			[ $ok -eq 1 ] || bad=1
		fi
	done
	[ $bad -eq 0 ] && say "abi: every existing uAPI struct keeps its layout on arm64, arm and x86_64"
	return $bad
}

gates=("$@")
[ ${#gates[@]} -gt 0 ] || gates=(bisect stable warnings kerneldoc x86 abi)
failed=()
for g in "${gates[@]}"; do
	case $g in
	bisect|stable|warnings|kerneldoc|x86|abi) ;;
	*) die "unknown gate '$g'; use bisect, stable, warnings, kerneldoc, x86 or abi." ;;
	esac
	start=$(date +%s)
	say "gate $g"
	"gate_$g" || failed+=("$g")
	say "gate $g done in $(( $(date +%s) - start ))s"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "gates: failed: ${failed[*]}"
	exit 1
fi
say "gates: all passed (${gates[*]})"
