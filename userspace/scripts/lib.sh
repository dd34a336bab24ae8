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

# "NAME SOURCE-PACKAGE VERSION SUITE..." for each project: the Debian source
# package each series was made on, and the suites of the machine's mirror
# that setup reads for it, in order.
USERSPACE_VERSIONS=$US/VERSIONS

# A version field of VERSIONS: us_field NAME COLUMN.
us_field() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$USERSPACE_VERSIONS"; }
us_suites() { awk -v n="$1" '$1 == n { for (i = 4; i <= NF; i++) print $i }' "$USERSPACE_VERSIONS"; }

# Meson from a newer Debian release, unpacked into work/, not installed:
# bookworm's is older than the projects ask for.
us_meson_env() {
	export PYTHONPATH=$UTOOLS/meson/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
	# Debian's python3 has the modules the build-dependencies install.
	export PATH=/usr/bin:$PATH
	MESON=(/usr/bin/python3 "$UTOOLS/meson/usr/bin/meson")
}

# Private apt state for suite $1 of mirror $2, with its source lists too.
us_private_apt() {
	private_apt "$UWORK/apt/$1" "deb [signed-by=$DEBIAN_KEYRING] $2 $1 main
deb-src [signed-by=$DEBIAN_KEYRING] $2 $1 main"
	private_apt_update
}

# The series of project $1 as the files of userspace/$1, in order.
us_series() {
	shopt -s nullglob
	US_SERIES=("$US/$1"/[0-9][0-9][0-9][0-9]-*.patch)
	shopt -u nullglob
}
