# Common settings for the series scripts. Sourced, not run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$TOP/work}
TREE=$WORK/linux
DL=$WORK/dl
PATCHES=$TOP/patches
BASE_TAG=base
# Debian source package of the base, and the version the series was made on.
BASE_PKG=linux-source-7.3
BASE_SUITE=trixie-backports
BASE_MADE_ON=$(cat "$TOP/BASE-VERSION")

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Version of the base the work tree was made from.
base_version() { cat "$WORK/base-version" 2>/dev/null || echo unknown; }

# Make cross builds cheap to repeat.
# The compiler cache is shared by every checkout on the machine. With the
# paths below work/ rewritten as relative ones, a fresh clone elsewhere (CI)
# hits what an earlier build cached.
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$WORK}
# Depend mode hashes from the compiler's own dependency output (kbuild asks
# for it anyway) instead of running the preprocessor first: cheaper misses.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

SERIES_VERSION=$(cat "$TOP/SERIES-VERSION")
COVER=$TOP/cover-letter.txt

# Write the work tree's series as git format-patch output into $1.
# Stable output: zero commit ids, full blob ids (their abbreviation depends
# on the repository size), no signature, fixed base commit, and the
# cover letter dated like the tip commit was authored (git am keeps that date;
# the commit date is the day the series was applied).
format_series() {
	local out=$1 prefix=PATCH tip_date
	[ "$SERIES_VERSION" -gt 1 ] && prefix="PATCH v$SERIES_VERSION"
	tip_date=$(git -C "$TREE" log -1 --format=%aD)
	git -C "$TREE" config branch.master.description "$(cat "$COVER")"
	GIT_COMMITTER_DATE=$tip_date git -C "$TREE" format-patch -q \
		--zero-commit --no-signature --full-index --base="$BASE_TAG" \
		--cover-letter --cover-from-description=subject \
		--subject-prefix="$prefix" -o "$out" "$BASE_TAG"..HEAD >/dev/null
}
