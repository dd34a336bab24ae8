#!/usr/bin/env bash
# The mutation gate: every "seen failing" claim of the series, rerun.
#   scripts/mutations.sh [NAME...]   (NAME: a file of kunit/mutations, with
#                                     or without .patch; all by default)
#
# Each kunit/mutations/*.patch is a small change to the tip of the series
# that brings back a bug a patch fixes or breaks a rule the series claims.
# Its header names the suites that must catch it:
#
#   Mutation: what the change does
#   Guards:   the patch or rule it checks (and the review finding)
#   Expect:   suite globs; at least one case of them must fail
#   Args:     kernel command line arguments for those boots (optional),
#             for example swiotlb=force
#
# The gate first boots the tip with the expected suites (they must pass),
# then, one mutation at a time: applies it to the work tree, rebuilds the
# arm64 KUnit kernel of 'make test' (kunit/arm64.kunitconfig, incremental,
# in work/build-arm64), boots it with the expected suites, judges each boot
# with scripts/ktap-check.py (failed cases, splats, lockdep, DMA-API
# errors) and takes the mutation back. A mutation that does not build,
# that no case of the expected suites fails on, or whose boot cannot be
# judged (no boot, a run cut short) fails the gate. It prints a table and
# ends with "mutations: N killed, N survived" (and ", N not judged").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree; run 'make setup' first."
if [ -n "$(git -C "$TREE" status --porcelain --untracked-files=no)" ]; then
	die "the work tree has uncommitted edits; commit or stash them first, the gate applies its mutations there."
fi
MDIR=$TOP/kunit/mutations
build=$WORK/build-arm64
config=$TOP/kunit/arm64.kunitconfig
G=$WORK/mutations
mkdir -p "$G" "$build"
rm -f "$G"/*.log

if [ $# -gt 0 ]; then
	files=()
	for n in "$@"; do
		f=$MDIR/${n%.patch}.patch
		[ -f "$f" ] || die "no mutation $n in kunit/mutations."
		files+=("$f")
	done
else
	files=("$MDIR"/*.patch)
	[ -f "${files[0]}" ] || die "no mutations in kunit/mutations."
fi

field() { sed -nE "/^$1:/{s/^$1:[[:space:]]*//;p;q}" "$2"; }

# kunit COMMAND [OPTIONS...]: kunit.py on the arm64 build of 'make test'.
kunit() {
	local cmd=$1
	shift
	(cd "$TREE" && python3 tools/testing/kunit/kunit.py "$cmd" --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --build_dir="$build" --kunitconfig="$config" "$@")
}

build_kernel() {
	kunit build --jobs="$(nproc)" --make_options "CC=ccache aarch64-linux-gnu-gcc" >"$1" 2>&1
}

# judge LABEL GLOB: boots the kernel with the suites of GLOB and prints
# "PASSED FAILED WHAT": WHAT lists the failed cases and splats, separated
# by ';', or is "unjudged: REASON" when the boot could not be judged (no
# boot, a run that stopped early, a checker that failed): that is neither
# a pass nor a kill.
judge() {
	local label=$1 glob=$2 args=${3:-} out ktap line p f a
	local kargs=()
	ktap=$G/$label-${glob//[^A-Za-z0-9_]/_}${args:+-${args//[^A-Za-z0-9_]/_}}.ktap
	for a in $args; do
		kargs+=("--kernel_args=$a")
	done
	rm -f "$build/test.log"
	kunit exec --timeout=1800 --filter 'speed>slow' "${kargs[@]}" "$glob" </dev/null \
		>>"$G/$label.log" 2>&1 || true
	if [ ! -f "$build/test.log" ]; then
		echo "0 0 unjudged: the kernel did not boot"
		return
	fi
	mv "$build/test.log" "$ktap"
	# shellcheck disable=SC2046
	out=$(python3 "$TOP/scripts/ktap-check.py" --series "$(series_modules arm64 ,)" \
		"$ktap" "$TOP/kunit/known-failures.txt" "$label" \
		$(git -C "$TREE" diff --name-only "$BASE_TAG") 2>&1) || true
	line=$(tail -n 1 <<<"$out")
	p=$(sed -nE 's/^[^ ]+: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
	f=$(sed -nE 's/^[^ ]+: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
	if [ -z "$p" ] || [ -z "$f" ]; then
		echo "0 0 unjudged: the checker printed no count (see ${ktap#"$TOP"/})"
		return
	fi
	if grep -qE '^(no KTAP output|the run stopped after)' <<<"$out"; then
		echo "$p $f unjudged: the run did not finish (see ${ktap#"$TOP"/})"
		return
	fi
	printf '%s %s ' "$p" "$f"
	sed -nE 's/^FAILED: //p; s/^kernel splat during (.*):$/splat in \1/p; s/^(lock debugging was turned off.*)$/\1/p' <<<"$out" |
		sort -u | tr '\n' ';'
	echo
}

applied=""
# Takes the applied mutation back; the tree must then be the tip again.
restore() {
	local m=$applied
	[ -n "$m" ] || return 0
	applied=""
	git -C "$TREE" apply -R "$m" &&
		[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		die "could not take $(basename "$m") back: the work tree is not the tip; run 'git checkout -- .' in work/linux."
}
trap restore EXIT

start=$(date +%s)
say "mutation gate: ${#files[@]} mutations, arm64 KUnit kernel in ${build#"$TOP"/}"
build_kernel "$G/tip-build.log" || die "the tip does not build; see ${G#"$TOP"/}/tip-build.log."
# Each suite, with each set of kernel arguments a mutation boots it with.
boots=$(for f in "${files[@]}"; do
		a=$(field Args "$f")
		for g in $(field Expect "$f"); do echo "$g|$a"; done
	done | sort -u)
while IFS='|' read -r g a; do
	read -r p fl rest <<<"$(judge tip "$g" "$a")"
	if [ "$fl" != 0 ] || [ "$p" = 0 ] || [ -n "$rest" ]; then
		die "the tip does not pass '$g'${a:+ with $a} ($p passed, $fl failed: $rest); fix that first."
	fi
	say "tip: $g${a:+ ($a)}: $p passed"
done <<<"$boots"

killed=0
survived=0
unjudged=0
rows=()
for f in "${files[@]}"; do
	name=$(basename "$f" .patch)
	expect=$(field Expect "$f")
	args=$(field Args "$f")
	t=$(date +%s)
	[ -n "$expect" ] || die "$name has no Expect: line."
	git -C "$TREE" apply "$f" || die "$name does not apply to the tip; refresh it."
	applied=$f
	if ! build_kernel "$G/$name-build.log"; then
		restore
		survived=$((survived + 1))
		rows+=("$name|$expect|DOES NOT BUILD (see ${G#"$TOP"/}/$name-build.log)")
		say "$name: does not build"
		continue
	fi
	nfail=0
	what=""
	why=""
	for g in $expect; do
		read -r p fl rest <<<"$(judge "$name" "$g" "$args")"
		case "$rest" in
		unjudged:*) why="$why $g: ${rest#unjudged: };" ;;
		*) nfail=$((nfail + fl)); what="$what$rest" ;;
		esac
	done
	restore
	if [ -n "$why" ]; then
		unjudged=$((unjudged + 1))
		rows+=("$name|$expect|COULD NOT JUDGE:${why%;}")
	elif [ "$nfail" -gt 0 ] && [ -n "$what" ]; then
		killed=$((killed + 1))
		rows+=("$name|$expect|killed: $nfail failed: ${what%;}")
	else
		survived=$((survived + 1))
		rows+=("$name|$expect|SURVIVED")
	fi
	say "$name: $nfail failed in $(( $(date +%s) - t ))s"
done
# The tree is back at the tip: rebuild, so that 'make test' finds it built.
build_kernel "$G/tip-rebuild.log" || true

echo
printf '%-40s | %-36s | %s\n' mutation "expected to fail" result
for r in "${rows[@]}"; do
	IFS='|' read -r a b c <<<"$r"
	printf '%-40s | %-36s | %s\n' "$a" "$b" "${c:0:400}"
done
echo
say "mutation gate took $(( $(date +%s) - start ))s"
if [ "$unjudged" -gt 0 ]; then
	echo "mutations: $killed killed, $survived survived, $unjudged not judged"
else
	echo "mutations: $killed killed, $survived survived"
fi
[ "$survived" -eq 0 ] && [ "$unjudged" -eq 0 ]
