# Settings of the userspace scripts. Sourced, not run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are the scripts'

# The kernel scripts' helpers: say, die, debian_mirror, private_apt,
# private_apt_update, make_base_tree's conventions and the ccache settings.
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lib.sh"

US=$TOP/userspace
UWORK=$WORK/userspace
UDL=$UWORK/dl
USRC=$UWORK/src
UBUILD=$UWORK/build
UTOOLS=$UWORK/tools
UHDR=$UWORK/headers

# "NAME COMMIT VERSION SNAPSHOT" for each project: the upstream commit each
# series is made on, its version, and the snapshot of that commit (a
# git archive tarball) looked for in VENDOR_DIR.
USERSPACE_VERSIONS=$US/VERSIONS
VENDOR_DIR=${VENDOR_DIR:-$(cd "$TOP/.." && pwd)/shared/vendor}

# A field of VERSIONS: us_field NAME COLUMN.
us_field() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$USERSPACE_VERSIONS"; }

# The source of project $1: the tree or tarball its variable names
# (IGT_SRC, MESA_SRC), else its snapshot in VENDOR_DIR; empty if neither.
us_source() {
	local var snap
	var=$(echo "$1" | tr '[:lower:]' '[:upper:]')_SRC
	if [ -n "${!var:-}" ]; then
		echo "${!var}"
		return
	fi
	snap=$VENDOR_DIR/$(us_field "$1" 4)
	[ -f "$snap" ] && echo "$snap"
	return 0
}

# Makes tree $1 from source $2 (a directory, or a tarball whose one top
# folder is the tree) and commits it, tagged base, with a fixed identity and
# date and message $3: the same base commit for the same source anywhere.
us_make_tree() {
	local tree=$1 src=$2 tmp
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	if [ -d "$src" ]; then
		(cd "$src" && tar -c --exclude=.git .) | tar -x -C "$tree.tmp"
		mv "$tree.tmp" "$tree"
	else
		tar -xf "$src" -C "$tree.tmp"
		tmp=$(find "$tree.tmp" -mindepth 1 -maxdepth 1)
		[ "$(echo "$tmp" | wc -l)" = 1 ] && [ -d "$tmp" ] || die "$src does not hold one top folder."
		mv "$tmp" "$tree"
		rmdir "$tree.tmp"
	fi
	commit_base_tree "$tree" "" base "$3" "" "upstream snapshot" "snapshot@invalid"
}

# The series of project $1 as the files of userspace/$1, in order.
us_series() {
	shopt -s nullglob
	US_SERIES=("$US/$1"/[0-9][0-9][0-9][0-9]-*.patch)
	shopt -u nullglob
}
