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
#   mutations  every mutation of kunit/mutations makes a case of the suites
#              it names fail (scripts/mutations.sh, 'make mutations')
# A gate also fails, saying why, when it could not judge: a tool is missing,
# a command of the gate fails, or the tool ran on nothing (each gate checks
# that its tool saw the files it is meant to judge).
# Usage: scripts/gates.sh [GATE...]   (default: all of them, in that order)
# Needs a clean work tree with the series committed; leaves HEAD checked out.
# The last line is "gates: N passed, N failed".
set -euo pipefail
shopt -s inherit_errexit
. "$(dirname "$0")/lib.sh"

ALL_GATES=(bisect stable warnings kerneldoc x86 abi mutations)
gates=("$@")
[ ${#gates[@]} -gt 0 ] || gates=("${ALL_GATES[@]}")
for g in "${gates[@]}"; do
	case " ${ALL_GATES[*]} " in
	*" $g "*) ;;
	*) die "unknown gate '$g'; use one or more of: ${ALL_GATES[*]}." ;;
	esac
done
[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "the work tree has uncommitted edits; commit them first, the gates check out each patch."

A64=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "CC=ccache aarch64-linux-gnu-gcc")
B64=$WORK/build-arm64
G=$WORK/gates
head=$(git -C "$TREE" rev-parse HEAD)
branch=$(git -C "$TREE" symbolic-ref -q --short HEAD || echo "")
trap 'git -C "$TREE" checkout -q "${branch:-$head}"' EXIT
checkout() { git -C "$TREE" checkout -q --detach "$1"; }

# Ends the running gate, as failed, with the sentence "$*".
fail() {
	echo "$*"
	exit 1
}

# Fails gate $1 unless each of the commands after it is installed.
need_tools() {
	local gate=$1 t
	shift
	for t in "$@"; do
		command -v "$t" >/dev/null ||
			fail "$gate: '$t' is not installed, so the gate cannot run; run 'make setup', which installs every tool the gates use."
	done
}

# The arm64 configuration of 'make test' (kunit/arm64.kunitconfig), which
# bisect, stable and warnings build. Without an earlier 'make test', it is
# made here, as kunit.py makes it; the first build then builds it all.
need_config() {
	[ -f "$B64/.config" ] && return 0
	need_tools "$1" python3 make aarch64-linux-gnu-gcc
	say "$1: no arm64 build in ${B64#"$TOP"/} yet; configuring it from kunit/arm64.kunitconfig"
	mkdir -p "$B64"
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --build_dir="$B64" \
		--kunitconfig="$TOP/kunit/arm64.kunitconfig" \
		--make_options "CC=ccache aarch64-linux-gnu-gcc") >"$G/config.log" 2>&1 ||
		fail "$1: kunit.py could not configure ${B64#"$TOP"/} (log in ${G#"$TOP"/}/config.log)."
	[ -f "$B64/.config" ] || fail "$1: kunit.py left no .config in ${B64#"$TOP"/}."
}

# Files the series adds or changes (not those it deletes).
touched() { git -C "$TREE" diff --name-only --diff-filter=d "$BASE_TAG" "$head"; }

# The C files commit $1 adds or changes.
commit_c_files() { git -C "$TREE" diff-tree --no-commit-id --name-only -r --diff-filter=d "$1" -- '*.c'; }

# Prints the first compiler errors of build log $1, or its last lines when
# it has none.
show_errors() {
	local errors
	errors=$(grep -E ': (fatal )?(error|Error):' "$1" || true)
	if [ -n "$errors" ]; then
		sed -n 1,10p <<<"$errors"
	else
		tail -n 10 "$1"
	fi
}

# Builds the checked-out tree in the arm64 folder, logging to work/$1.log;
# on failure prints the first errors and returns 1.
build_arm64() {
	make -s -C "$TREE" O="$B64" "${A64[@]}" -j"$(nproc)" >"$WORK/$1.log" 2>&1 && return 0
	show_errors "$WORK/$1.log"
	return 1
}

# Touches C files $@ of the tree after the time stamp $G/stamp, so that the
# next build must compile them again; objects_since_stamp tells whether it did.
touch_after_stamp() {
	local f
	touch "$G/stamp"
	for f in "$@"; do
		[ ! -f "$TREE/$f" ] || touch "$TREE/$f"
	done
}

# Of C files $2... whose objects exist in build folder $1 (the files its
# configuration builds), counts in REBUILT those written after $G/stamp and
# lists the others in STALE.
objects_since_stamp() {
	local b=$1 f
	shift
	REBUILT=0
	STALE=()
	for f in "$@"; do
		[ -f "$b/${f%.c}.o" ] || continue
		if [ "$b/${f%.c}.o" -nt "$G/stamp" ]; then
			REBUILT=$((REBUILT + 1))
		else
			STALE+=("$f")
		fi
	done
}

# Touches the C files of commit $1, for the next arm64 build to compile.
mark_for_build() {
	# shellcheck disable=SC2046 # one word per file name, as git prints them
	touch_after_stamp $(commit_c_files "$1")
}

# Sets REBUILT to the number of C files of commit $1 whose arm64 objects the
# last build wrote after $G/stamp. Fails gate $2 when the build wrote none
# of those that exist (the files this configuration builds): then it did not
# compile $3. One stale object alone is no proof, as a walk through older
# patches can switch off the Kconfig symbol of a file the tip builds.
count_rebuilt() {
	# shellcheck disable=SC2046 # one word per file name, as git prints them
	objects_since_stamp "$B64" $(commit_c_files "$1")
	[ $REBUILT -gt 0 ] || [ ${#STALE[@]} -eq 0 ] ||
		fail "$2: make succeeded on $3 but compiled none of its C files (${STALE[*]}), so the build did not run and the gate cannot judge it."
}

rebuilt_words() {
	case $REBUILT in
	0) echo "no C file of it" ;;
	1) echo "1 C file of it" ;;
	*) echo "$REBUILT C files of it" ;;
	esac
}

gate_bisect() {
	need_config bisect
	need_tools bisect make aarch64-linux-gnu-gcc ccache
	local c n=0 total subject commits compiled=0
	commits=$(git -C "$TREE" rev-list --reverse "$BASE_TAG..$head")
	total=$(wc -w <<<"$commits")
	[ "$total" -gt 0 ] || fail "bisect: the work tree holds no patch on $BASE_TAG, so there is nothing to build."
	for c in $commits; do
		n=$((n + 1))
		subject=$(git -C "$TREE" log -1 --format=%s "$c")
		checkout "$c"
		mark_for_build "$c"
		build_arm64 bisect || fail "bisect: patch $n/$total does not build: $subject (log in work/bisect.log)"
		count_rebuilt "$c" bisect "patch $n/$total"
		compiled=$((compiled + REBUILT))
		say "bisect: patch $n/$total builds, $(rebuilt_words) compiled: $subject"
	done
	[ $compiled -gt 0 ] ||
		fail "bisect: no patch changes a C file that the arm64 configuration builds, so the gate compiled nothing of the series."
}

# Every fix for stable (a commit with "Cc: stable@vger.kernel.org") applies
# to the base alone, as its mail does with git am, and builds there: stable
# kernels take it without the rest of the series.
gate_stable() {
	need_config stable
	need_tools stable make aarch64-linux-gnu-gcc ccache
	local c n=0 subject commits msg
	commits=$(git -C "$TREE" rev-list --reverse "$BASE_TAG..$head")
	[ -n "$commits" ] || fail "stable: the work tree holds no patch on $BASE_TAG, so there is nothing to check."
	for c in $commits; do
		msg=$(git -C "$TREE" log -1 --format=%B "$c")
		# With or without a version marker ("# 6.19+").
		grep -qE '^Cc: stable@vger\.kernel\.org( #.*)?$' <<<"$msg" || continue
		n=$((n + 1))
		subject=$(git -C "$TREE" log -1 --format=%s "$c")
		checkout "$BASE_TAG"
		# As mailed: stable trees apply the patch, they do not merge it.
		git -C "$TREE" format-patch -1 --stdout "$c" |
			git -C "$TREE" apply --index >"$WORK/stable.log" 2>&1 ||
			fail "stable: does not apply to the base alone: $subject"
		mark_for_build "$c"
		build_arm64 stable || fail "stable: does not build on the base alone: $subject (log in work/stable.log)"
		count_rebuilt "$c" stable "'$subject' on the base"
		git -C "$TREE" reset -q --hard
		say "stable: applies to and builds on the base alone, $(rebuilt_words) compiled: $subject"
	done
	[ $n -gt 0 ] || say "stable: no commit of the series carries Cc: stable@vger.kernel.org, so there is no fix to check"
}

# The kernel needs a sparse that knows __typeof_unqual__: bookworm's 0.6.4
# does not, so build the one of Debian's sid source package (no install),
# from the mirror this machine's apt uses.
SPARSE=$WORK/tools/sparse/sparse
ensure_sparse() {
	local valid="$TREE/scripts/checker-valid.sh" mirror src
	if [ "$(sh "$valid" sparse -m64 2>/dev/null)" = 1 ]; then
		SPARSE=sparse
	elif [ -x "$SPARSE" ] && [ "$(sh "$valid" "$SPARSE" -m64 2>/dev/null)" = 1 ]; then
		:
	else
		need_tools warnings apt-get make gcc tar
		mirror=$(debian_mirror) ||
			fail "warnings: found no Debian mirror in apt's sources to fetch sparse's source from; add one, or name one with DEBIAN_MIRROR=URL."
		say "warnings: building sparse from Debian's sid source package at $mirror (bookworm's is too old for this kernel)"
		mkdir -p "$WORK/tools/src"
		private_apt "$WORK/tools/apt" "deb-src [signed-by=$DEBIAN_KEYRING] $mirror sid main"
		private_apt_update || fail "warnings: could not read sid's source list at $mirror; check the network."
		(cd "$WORK/tools/src" && apt-get "${APT_OPTS[@]}" source -qq --download-only sparse >/dev/null) ||
			fail "warnings: could not download sparse's source package from $mirror."
		src=$(find "$WORK/tools/src" -maxdepth 1 -name 'sparse_*.orig.tar.*' | sort | tail -n 1)
		[ -n "$src" ] || fail "warnings: apt downloaded no sparse_*.orig.tar.* into work/tools/src."
		rm -rf "$WORK/tools/sparse"
		mkdir -p "$WORK/tools/sparse"
		tar -xf "$src" -C "$WORK/tools/sparse" --strip-components=1
		make -s -C "$WORK/tools/sparse" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_SQLITE=no \
			HAVE_GTK=no HAVE_LIBXML=no >"$WORK/tools/sparse.log" 2>&1 ||
			fail "warnings: building sparse from $(basename "$src") failed (log in work/tools/sparse.log)."
		[ "$(sh "$valid" "$SPARSE" -m64)" = 1 ] ||
			fail "warnings: the sparse built from $(basename "$src") is not usable for this kernel."
	fi
	# A seeded warning: proof that this sparse reports what it finds.
	printf 'static int *p = 0;\nint *f(void);\nint *f(void) { return p; }\n' >"$G/sparse-seed.c"
	"$SPARSE" "$G/sparse-seed.c" >"$G/sparse-seed.out" 2>&1 ||
		fail "warnings: $SPARSE failed on a seeded test file: $(head -n 3 "$G/sparse-seed.out")"
	grep -q 'plain integer as NULL pointer' "$G/sparse-seed.out" ||
		fail "warnings: $SPARSE did not report the warning seeded in a test file, so it would not report the series' either."
}

# Compares what printer $3 writes for file $2 on the series with what it
# writes on the base (nothing when the base lacks the file). Prints, for
# gate $1, the lines that only the series has, and sets NEW to their count.
# The printers drop line numbers, so that a message at a moved line compares
# equal.
check_new() {
	local gate=$1 f=$2 print=$3
	: >"$G/base.out"
	if git -C "$TREE" cat-file -e "$BASE_TAG:$f" 2>/dev/null; then
		checkout "$BASE_TAG"
		"$print" "$f" "$G/base.out"
	fi
	checkout "$head"
	"$print" "$f" "$G/head.out"
	comm -13 "$G/base.out" "$G/head.out" | sed '/^$/d' >"$G/new.out"
	NEW=$(wc -l <"$G/new.out")
	if [ "$NEW" -gt 0 ]; then
		echo "$gate: new in $f:"
		sed 's/^/    /' "$G/new.out"
	fi
}

# W=1 and sparse warnings of C file $1's object, in that file, sorted, into
# $2. Fails the gate unless the object was compiled with W=1 (its saved
# command line carries W=1's -DKBUILD_EXTRA_WARN1) and sparse ran on the
# file (kbuild printed "CHECK <file>").
object_warnings() {
	local src=$1 out=$2 obj=${1%.c}.o log=$G/object.log rc=0
	rm -f "$B64/$obj"
	touch "$G/stamp"
	# -Wno-error: the gate compares warnings, also under CONFIG_WERROR.
	make -C "$TREE" O="$B64" "${A64[@]}" W=1 C=2 CHECK="$SPARSE" KCFLAGS=-Wno-error "$obj" \
		>"$log" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		show_errors "$log"
		fail "warnings: building $obj with W=1 and sparse failed (exit $rc, log in ${log#"$TOP"/})."
	fi
	[ "$B64/$obj" -nt "$G/stamp" ] ||
		fail "warnings: make succeeded but did not compile $obj, so W=1 did not run on $src."
	grep -qF -e '-DKBUILD_EXTRA_WARN1' "$B64/$(dirname "$obj")/.$(basename "$obj").cmd" ||
		fail "warnings: $obj was compiled without W=1's flags, so W=1 did not run on $src."
	awk -v s="$src" '$1 == "CHECK" && ($2 == s || substr($2, length($2) - length(s)) == "/" s) { found = 1 }
		END { exit !found }' "$log" ||
		fail "warnings: kbuild printed no 'CHECK $src' line, so sparse did not run on $src."
	{ grep -E 'warning:|error:' "$log" || true; } | { grep -F "$src:" || true; } |
		sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | sort >"$out"
}

gate_warnings() {
	need_config warnings
	need_tools warnings make aarch64-linux-gnu-gcc ccache
	ensure_sparse
	local f all files checked=0 bad=0
	all=$(touched)
	files=$(grep -E '\.c$' <<<"$all" || true)
	[ -n "$files" ] || fail "warnings: the series adds or changes no C file, so W=1 and sparse have nothing to judge."
	for f in $files; do
		# Only objects that this configuration builds: kbuild left their
		# command file, which stays when an earlier run of the gate
		# stopped after removing the object.
		if [ ! -f "$B64/${f%.c}.o" ] && [ ! -f "$B64/$(dirname "$f")/.$(basename "${f%.c}").o.cmd" ]; then
			say "warnings: $f is not built in this configuration, skipped"
			continue
		fi
		check_new warnings "$f" object_warnings
		checked=$((checked + 1))
		if [ "$NEW" -eq 0 ]; then
			say "warnings: $f: W=1 and sparse ran, nothing new"
		else
			bad=1
		fi
	done
	# Put the normal objects back.
	make -s -C "$TREE" O="$B64" "${A64[@]}" -j"$(nproc)" >"$G/rebuild.log" 2>&1 ||
		fail "warnings: the normal arm64 build after the gate fails (log in ${G#"$TOP"/}/rebuild.log)."
	[ $checked -gt 0 ] ||
		fail "warnings: the arm64 configuration builds none of the series' C files, so W=1 and sparse judged nothing."
	[ $bad -eq 0 ] || fail "warnings: the series adds W=1 or sparse warnings, listed above."
	say "warnings: W=1 and sparse ran on $checked C files of the series, nothing new"
}

file_kerneldoc() {
	local rc=0
	(cd "$TREE" && scripts/kernel-doc -none -Wall "$1") >"$2.raw" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		head -n 5 "$2.raw" | sed 's/^/    /'
		fail "kerneldoc: scripts/kernel-doc failed on $1 (exit $rc), so the gate cannot judge it."
	fi
	sed -E 's/:[0-9]+ / /' "$2.raw" | sort >"$2"
}

gate_kerneldoc() {
	need_tools kerneldoc python3
	local f all files rst n=0 rendered=0 bad=0
	[ -e "$TREE/scripts/kernel-doc" ] || fail "kerneldoc: the work tree has no scripts/kernel-doc."
	# A seeded warning: proof that kernel-doc -none -Wall reports what it finds.
	printf '/**\n * seed() - a function whose parameter is not documented\n *\n * Return: 0.\n */\nint seed(int undocumented);\n' \
		>"$G/kerneldoc-seed.c"
	(cd "$TREE" && scripts/kernel-doc -none -Wall "$G/kerneldoc-seed.c") >"$G/kerneldoc-seed.out" 2>&1 ||
		fail "kerneldoc: scripts/kernel-doc failed on a seeded test file: $(head -n 3 "$G/kerneldoc-seed.out")"
	grep -q "'undocumented' not described" "$G/kerneldoc-seed.out" ||
		fail "kerneldoc: scripts/kernel-doc did not report the undocumented parameter seeded in a test file, so it would not report the series' either."
	all=$(touched)
	files=$(grep -E '\.(c|h)$' <<<"$all" || true)
	[ -n "$files" ] || fail "kerneldoc: the series adds or changes no C file or header, so there is nothing to judge."
	for f in $files; do
		check_new kerneldoc "$f" file_kerneldoc
		[ "$NEW" -eq 0 ] || bad=1
		n=$((n + 1))
		# Proof that kernel-doc read the file: its kernel-doc comments render.
		grep -q '^/\*\*' "$TREE/$f" || continue
		rst=$(cd "$TREE" && scripts/kernel-doc -rst "$f" 2>/dev/null)
		[ -n "$rst" ] ||
			fail "kerneldoc: $f has kernel-doc comments, but scripts/kernel-doc rendered none of them, so it did not read the file."
		rendered=$((rendered + 1))
	done
	[ $rendered -gt 0 ] ||
		fail "kerneldoc: none of the $n files the series touches has a kernel-doc comment, so there is nothing to judge."
	[ $bad -eq 0 ] || fail "kerneldoc: the series adds kernel-doc warnings, listed above."
	say "kerneldoc: no new kernel-doc warning in the $n C files and headers the series touches ($rendered of them with kernel-doc, each rendered)"
}

gate_x86() {
	need_tools x86 make gcc ccache
	local b=$WORK/build-x86_64-compile-test all files d
	checkout "$head"
	mkdir -p "$b" "$G"
	if [ ! -f "$b/.config" ]; then
		make -s -C "$TREE" O="$b" ARCH=x86_64 allnoconfig >/dev/null
		"$TREE/scripts/config" --file "$b/.config" -e 64BIT -e MMU -e PM -e COMPILE_TEST \
			-e DRM -e DRM_PANTHOR -e DRM_PANFROST
		make -s -C "$TREE" O="$b" ARCH=x86_64 olddefconfig >/dev/null
	fi
	grep -q '^CONFIG_DRM_PANTHOR=y' "$b/.config" && grep -q '^CONFIG_DRM_PANFROST=y' "$b/.config" ||
		fail "x86: panthor or panfrost is not enabled by the x86_64 COMPILE_TEST config; see $b/.config."
	# The series' C files are touched, so that the build must compile them:
	# the proof that it ran.
	all=$(touched)
	files=$(grep -E '^drivers/gpu/drm/.*\.c$' <<<"$all" || true)
	[ -n "$files" ] || fail "x86: the series changes no C file of DRM, so there is nothing to build."
	# shellcheck disable=SC2086 # one word per file name, as git prints them
	touch_after_stamp $files
	if ! make -s -C "$TREE" O="$b" ARCH=x86_64 "CC=ccache gcc" -j"$(nproc)" \
		drivers/gpu/drm/ >"$WORK/x86.log" 2>&1; then
		show_errors "$WORK/x86.log"
		fail "x86: the x86_64 COMPILE_TEST build of DRM, panthor and panfrost fails (log in work/x86.log)"
	fi
	# shellcheck disable=SC2086 # one word per file name, as git prints them
	objects_since_stamp "$b" $files
	[ ${#STALE[@]} -eq 0 ] ||
		fail "x86: make succeeded but did not compile ${STALE[*]}, so the gate cannot judge them."
	for d in panthor panfrost; do
		[ -n "$(find "$b/drivers/gpu/drm/$d" -name '*.o' -newer "$G/stamp" -print -quit 2>/dev/null)" ] ||
			fail "x86: make succeeded but compiled nothing of $d, so the gate cannot judge it."
	done
	say "x86: DRM core, panthor and panfrost build on x86_64 with COMPILE_TEST ($REBUILT C files of the series compiled)"
}

# pahole of every struct of the uAPI headers, for one tree and architecture.
abi_layout() {
	local rev=$1 arch=$2 cc=$3 out=$4 h
	local hdr=$WORK/abi/hdr-$arch log=$WORK/abi/$arch.log
	checkout "$rev"
	rm -rf "$hdr"
	if ! make -s -C "$TREE" O="$WORK/abi/obj-$arch" ARCH="$arch" headers_install \
		INSTALL_HDR_PATH="$hdr" >"$log" 2>&1; then
		tail -n 5 "$log" | sed 's/^/    /'
		fail "abi: make headers_install failed for $arch (log in work/abi/$arch.log), so there are no headers to compare."
	fi
	for h in drm panthor_drm panfrost_drm pvr_drm; do
		[ -f "$hdr/include/drm/$h.h" ] ||
			fail "abi: make headers_install did not install drm/$h.h for $arch."
	done
	printf '#include <drm/drm.h>\n#include <drm/panthor_drm.h>\n#include <drm/panfrost_drm.h>\n#include <drm/pvr_drm.h>\n' \
		>"$WORK/abi/uapi.c"
	"$cc" -g -fno-eliminate-unused-debug-types -I"$hdr/include" -c "$WORK/abi/uapi.c" \
		-o "$WORK/abi/uapi-$arch.o" >"$log" 2>&1 || {
		head -n 5 "$log" | sed 's/^/    /'
		fail "abi: $cc could not compile the uAPI headers installed for $arch."
	}
	pahole --suppress_aligned_attribute "$WORK/abi/uapi-$arch.o" >"$out" 2>"$log" ||
		fail "abi: pahole could not read the debug info of the headers compiled for $arch: $(head -n 3 "$log")"
}

# The structs that the uAPI headers of the three drivers define at revision
# $1, read from the sources, one a line.
header_structs() {
	local h
	for h in panthor_drm panfrost_drm pvr_drm; do
		git -C "$TREE" show "$1:include/uapi/drm/$h.h" | sed -nE 's/^struct ([a-z0-9_]+) \{.*/\1/p'
	done | sort -u
}

# The structs of a pahole dump, one a line.
dump_structs() { sed -nE 's/^struct ([a-z_0-9]+) \{$/\1/p' "$1" | sort -u; }

# Fails unless pahole dump $1 ($2) holds each struct of the list $3: the
# proof that the headers were installed, compiled and read.
require_structs() {
	local missing n
	missing=$(comm -23 <(echo "$3") <(dump_structs "$1"))
	[ -n "$missing" ] || return 0
	n=$(wc -l <<<"$missing")
	fail "abi: the dump of $2 lacks $n of the $(wc -l <<<"$3") structs that the uAPI headers of the drivers define ($(head -n 3 <<<"$missing" | paste -sd ' ')$([ "$n" -le 3 ] || echo " ...")): headers_install, the compiler or pahole did not do their part."
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
	sed 's/^/    /' <<<"$d"
	return 1
}

# The words of $2 as lines of at most 100 columns, after the line $1.
say_list() {
	say "$1"
	fold -s -w 96 <<<"$2" | sed 's/^/    /; s/ *$//'
}

gate_abi() {
	need_tools abi make rsync pahole gcc aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc
	local arch cc bad=0 s base_req head_req base_all head_all compared new_structs
	mkdir -p "$WORK/abi"
	base_req=$(header_structs "$BASE_TAG")
	head_req=$(header_structs "$head")
	[ -n "$base_req" ] && [ -n "$head_req" ] ||
		fail "abi: found no struct in the uAPI headers of panthor, panfrost and PowerVR, so there is nothing to compare."
	for arch in arm64 arm x86_64; do
		case $arch in
		arm64) cc=aarch64-linux-gnu-gcc ;;
		arm) cc=arm-linux-gnueabihf-gcc ;;
		x86_64) cc=gcc ;;
		esac
		abi_layout "$BASE_TAG" "$arch" "$cc" "$WORK/abi/base-$arch.txt"
		abi_layout "$head" "$arch" "$cc" "$WORK/abi/head-$arch.txt"
		require_structs "$WORK/abi/base-$arch.txt" "the base on $arch" "$base_req"
		require_structs "$WORK/abi/head-$arch.txt" "the series on $arch" "$head_req"
	done
	checkout "$head"
	# Every struct of the base (drm.h's too) keeps its layout on each
	# architecture.
	local first=""
	for arch in arm64 arm x86_64; do
		base_all=$(dump_structs "$WORK/abi/base-$arch.txt")
		head_all=$(dump_structs "$WORK/abi/head-$arch.txt")
		compared=""
		for s in $base_all; do
			if ! grep -qx -e "$s" <<<"$head_all"; then
				echo "abi: struct $s of the base is gone on $arch"
				bad=1
			elif same_layout "$s" "$WORK/abi/base-$arch.txt" "$WORK/abi/head-$arch.txt" \
				"struct $s changed on $arch"; then
				compared+="$s "
			else
				bad=1
			fi
		done
		if [ "$compared" = "$first" ]; then
			say "abi: $arch: the same $(wc -w <<<"$compared") structs keep their layout"
		else
			say_list "abi: $arch: $(wc -w <<<"$compared") structs of the base keep their layout:" "$compared"
		fi
		[ -n "$first" ] || first=$compared
	done
	# Every new struct has one layout on the three.
	new_structs=$(comm -13 <(dump_structs "$WORK/abi/base-arm64.txt") <(dump_structs "$WORK/abi/head-arm64.txt"))
	for s in $new_structs; do
		local ok=1
		for arch in arm x86_64; do
			same_layout "$s" "$WORK/abi/head-arm64.txt" "$WORK/abi/head-$arch.txt" \
				"new struct $s has another layout on $arch than on arm64" || ok=0
		done
		if [ $ok -eq 1 ]; then
			say "abi: new struct $s has one layout on arm64, arm and x86_64"
		else
			bad=1
		fi
	done
	[ $bad -eq 0 ] || fail "abi: the uAPI layout changes, as listed above."
	say "abi: every existing uAPI struct keeps its layout on arm64, arm and x86_64"
}

gate_mutations() {
	"$TOP/scripts/mutations.sh" >"$G/mutations.log" 2>&1 || {
		sed -n '/^mutation /,$p' "$G/mutations.log"
		fail "mutations: a mutation survived or did not build (log in ${G#"$TOP"/}/mutations.log)."
	}
	sed -n '/^mutation /,$p' "$G/mutations.log"
}

mkdir -p "$G"
passed=()
failed=()
for g in "${gates[@]}"; do
	start=$(date +%s)
	say "gate $g"
	# Each gate runs in a subshell with errexit on: any command of the gate
	# that fails ends it, as failed, with the trap's sentence. Not as
	# "(...) || rc=$?": errexit is off in all that runs left of a "||".
	set +e
	(
		set -eE
		trap 'echo "$g: the gate stopped because a command failed (exit $?): $BASH_COMMAND"' ERR
		"gate_$g"
	)
	rc=$?
	set -e
	# A gate that stopped half-way may leave a fix applied or a patch out.
	git -C "$TREE" reset -q --hard
	checkout "$head"
	if [ $rc -eq 0 ]; then
		passed+=("$g")
		say "gate $g passed in $(( $(date +%s) - start ))s"
	else
		failed+=("$g")
		say "gate $g FAILED in $(( $(date +%s) - start ))s"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "gates: failed: ${failed[*]}"
else
	say "gates: all passed (${gates[*]})"
fi
echo "gates: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
