# Common settings for the series scripts. Sourced, not run.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are the scripts'

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$TOP/work}
TREE=$WORK/linux
DL=$WORK/dl
PATCHES=${PATCHES:-$TOP/patches}
BASE_TAG=base
# Debian source package of the base, and the version the series was made on.
BASE_PKG=linux-source-7.3
BASE_MADE_ON=$(cat "$TOP/BASE-VERSION")
# The suites of the Debian archive that may carry the base, in the order
# setup looks: the stable release's backports first (where it is today),
# then the releases a newer 7.3.y or its successor goes through.
BASE_SUITES=(trixie-backports trixie trixie-updates forky sid)
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# The test modules of the series (the "# module:" of their KUnit suites)
# that the KUnit kernel of architecture $1 has, separated by $2 (a space by
# default).
series_modules() {
	local m="drm_gem_sync_test drm_sgt_sync_test"
	case "$1" in
	arm64) m="$m panthor panfrost_test pvr_gem_test" ;;
	arm|x86_64) m="$m panthor panfrost_test" ;;
	riscv64) m="$m pvr_gem_test" ;;
	esac
	echo "${m// /${2:- }}"
}

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Version of the base the work tree was made from.
base_version() { cat "$WORK/base-version" 2>/dev/null || echo unknown; }

# The Debian archive that this machine's apt already uses: the mirror of the
# machine's own release (else the first source that is not a security one),
# so that no host is written in the scripts. DEBIAN_MIRROR=URL overrides it.
debian_mirror() {
	local codename mirror
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		echo "$DEBIAN_MIRROR"
		return
	fi
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	# apt's own reading of its sources, "URI SUITE TYPE" for each package
	# list it has; on a machine whose apt has no lists yet, the sources files.
	# shellcheck disable=SC2016
	mirror=$({ apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' 2>/dev/null
		   apt_sources; } | awk -v c="$codename" '$3 != "deb" { next }
			$2 == c { print $1; found = 1; exit }
			$2 !~ /security/ && other == "" { other = $1 }
			END { if (!found && other != "") print other }')
	[ -n "$mirror" ] || return 1
	echo "$mirror"
}

# "URI SUITE TYPE" for each source of /etc/apt/sources.list and of the
# one-line (.list) and deb822 (.sources) files of /etc/apt/sources.list.d.
apt_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk '$1 ~ /^deb(-src)?$/ { print $2, $3, $1 }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush(  n, m, i, j, t, u, s) {
			if (enabled != "no") {
				n = split(uris, u, " "); m = split(suites, s, " ")
				split(types, t, " ")
				for (k in t) for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
					print u[i], s[j], t[k]
			}
			types = uris = suites = enabled = ""
		}
		/^#/ { next }
		/^[ \t]*$/ { flush(); next }
		{ key = tolower($1); sub(/^[^:]*:[ \t]*/, "") }
		key == "types:" { types = $0 }
		key == "uris:" { uris = $0 }
		key == "suites:" { suites = $0 }
		key == "enabled:" { enabled = tolower($0) }
		END { flush() }' "$f"
	done
}

# Sets APT_DIR to $1 and APT_OPTS: apt-get and apt-cache options for a private apt state in
# folder $1 whose only source is the sources.list line $2. Nothing else on
# the machine sees that source, so nothing else can come from it. The lists
# of an earlier run are dropped: a failed update must not leave old ones.
private_apt() {
	APT_DIR=$1
	rm -rf "$1/lists"
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial"
	echo "$2" >"$1/sources.list"
	APT_OPTS=(-o Dir::Etc::SourceList="$1/sources.list" -o Dir::Etc::SourceParts=/dev/null
		  -o Dir::State::Lists="$1/lists" -o Dir::Cache="$1/cache"
		  -o Acquire::Languages=none -o APT::Sandbox::User=root)
}

# Updates the private apt state that private_apt set up, and fails unless
# it now has the suite's signed release file (apt-get update exits 0 when
# the mirror cannot be reached).
private_apt_update() {
	apt-get "${APT_OPTS[@]}" update -qq >/dev/null 2>&1 || return 1
	compgen -G "$APT_DIR/lists/*Release" >/dev/null
}

# The versions of $BASE_PKG that suite $1 of mirror $2 offers, one a line
# (none when the suite does not carry it); fails when the suite's package
# list cannot be read. Sets APT_OPTS for that suite.
suite_versions() {
	private_apt "$DL/apt/$1" "deb [signed-by=$DEBIAN_KEYRING] $2 $1 main"
	private_apt_update || return 1
	apt-cache "${APT_OPTS[@]}" madison "$BASE_PKG" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }'
}

# "VERSION SUITE" for each version of $BASE_PKG in the suites of mirror $1,
# in the order of BASE_SUITES. With a version $2, stops after the first
# suite that offers it. Says on stderr which suites it could not read, and
# fails when it could read none.
base_offers() {
	local mirror=$1 want=${2:-} suite versions v read=0
	for suite in "${BASE_SUITES[@]}"; do
		if ! versions=$(suite_versions "$suite" "$mirror"); then
			say "could not read the package list of $suite at $mirror" >&2
			continue
		fi
		read=$((read + 1))
		for v in $versions; do
			echo "$v $suite"
		done
		if [ -n "$want" ] && grep -qxF -- "$want" <<<"$versions"; then
			return 0
		fi
	done
	[ $read -gt 0 ]
}

# The newest "VERSION SUITE" line of base_offers output on stdin.
newest_offer() {
	local best="" line v
	while read -r line; do
		v=${line%% *}
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "${best%% *}"; then
			best=$line
		fi
	done
	echo "$best"
}

# Downloads $BASE_PKG version $1 from suite $2 of mirror $3 into $DL, unless
# it is there already, and prints the path of the package.
fetch_base() {
	local deb=$DL/${BASE_PKG}_${1/:/%3a}_all.deb
	if [ ! -f "$deb" ]; then
		suite_versions "$2" "$3" >/dev/null ||
			die "could not read the package list of $2 at $3; check the network and try again."
		(cd "$DL" && apt-get "${APT_OPTS[@]}" download -qq "$BASE_PKG=$1" >/dev/null) ||
			die "could not download $BASE_PKG $1 from $2 at $3; try again."
		[ -f "$deb" ] || die "apt downloaded $BASE_PKG $1, but not as $deb."
	fi
	echo "$deb"
}

# Unpacks Debian package $1 (version $2) into $3 and makes it a git
# repository whose base commit, tagged $BASE_TAG, has a fixed author,
# committer and date, so that its hash does not depend on the day.
make_base_tree() {
	local deb=$1 version=$2 tree=$3
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$BASE_PKG.tar.xz" |
		tar -xJ -C "$tree.tmp" --strip-components=1
	mv "$tree.tmp" "$tree"
	# Debian's tree ignores every top-level path in .gitignore, which would
	# hide the files the series adds from git. Drop that block only.
	python3 - "$tree/.gitignore" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'#\n# Debian packaging: ignore everything.*?\n!/debian/\n', '', s, flags=re.S)
open(p, 'w').write(s)
PY
	if grep -qx '/\*' "$tree/.gitignore"; then
		die "could not drop the Debian block of .gitignore that hides new files; update make_base_tree in scripts/lib.sh for this base."
	fi
	commit_base_tree "$tree" "$BASE_PKG" "$BASE_TAG" "Linux base: Debian $BASE_PKG $version" \
		"The tree of the package, but for the Debian packaging block of .gitignore, which ignores every top-level path."
}

# Makes the unpacked tree $1 a git repository whose one commit, tagged $3,
# has a fixed author, committer and date, named after Debian package $2
# (or "$6 <$7>", for a tree that is no Debian package), with the subject $4
# and the body $5, if any: the same base commit on any machine.
commit_base_tree() {
	local tree=$1 pkg=$2 tag=$3
	local who=${6:-Debian $pkg} email=${7:-$pkg@debian.invalid}
	local msg=(-m "$4")
	[ -z "${5:-}" ] || msg+=(-m "$5")
	git -C "$tree" init -q -b master
	git -C "$tree" config core.autocrlf false
	git -C "$tree" config gc.auto 0
	git -C "$tree" config user.name "${GIT_AUTHOR_NAME:-$(git -C "$TOP" config user.name || echo gem-sync)}"
	git -C "$tree" config user.email "${GIT_AUTHOR_EMAIL:-$(git -C "$TOP" config user.email || echo gem-sync@localhost)}"
	git -C "$tree" add -A -f .
	GIT_AUTHOR_NAME="$who" GIT_AUTHOR_EMAIL="$email" \
	GIT_COMMITTER_NAME="$who" GIT_COMMITTER_EMAIL="$email" \
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$tree" commit -q --no-verify "${msg[@]}"
	git -C "$tree" tag "$tag"
}

# Installs from the machine's own suites those of the Debian packages $2...
# that are missing; $1 is the command to suggest when not run as root.
install_missing_packages() {
	local as_root=$1 p missing=()
	shift
	for p in "$@"; do
		case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" in
		*" ok installed") ;;
		*) missing+=("$p") ;;
		esac
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "build dependencies already installed"
		return
	fi
	say "installing from bookworm: ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "installing packages needs root; run '$as_root'."
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# Applies patches/ to the tree $1 with git am, in order. On the first patch
# that does not apply, puts the tree back on $BASE_TAG, sets FAILED_PATCH to
# that patch's file name and fails. Sets APPLIED to the number applied.
apply_series() {
	local tree=$1 p
	local -a series
	shopt -s nullglob
	series=("$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch)
	shopt -u nullglob
	APPLIED=0 FAILED_PATCH=
	for p in "${series[@]}"; do
		[ "$(basename "$p")" != 0000-cover-letter.patch ] || continue
		if ! git -C "$tree" am -q --keep-cr "$p" >/dev/null 2>&1; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			git -C "$tree" reset -q --hard "$BASE_TAG"
			FAILED_PATCH=$(basename "$p")
			return 1
		fi
		APPLIED=$((APPLIED + 1))
	done
	[ $APPLIED -gt 0 ] || die "patches/ holds no patch to apply."
}

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
