#!/usr/bin/env bash
# Whether the newest 7.3.y that any suite of the machine's Debian mirror
# offers still takes the series: lists what each suite of BASE_SUITES has,
# downloads the newest into work/dl, unpacks it into a temporary tree
# (work/base-check, removed at the end) and applies patches/ with git am.
# No build. Exits 0 when the series applies, 1 when it does not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mirror=$(debian_mirror) ||
	die "found no Debian mirror of this machine's release in apt's sources; add one, or name one with DEBIAN_MIRROR=URL."
mkdir -p "$DL"
say "base-check: looking for $BASE_PKG in ${BASE_SUITES[*]} at $mirror"
offers=$(base_offers "$mirror") ||
	die "could not read any package list at $mirror; check the network and run 'make base-check' again."
for suite in "${BASE_SUITES[@]}"; do
	versions=$(awk -v s="$suite" '$2 == s { print $1 }' <<<"$offers" | paste -sd ' ')
	say "base-check: $suite: ${versions:-no $BASE_PKG}"
done
[ -n "$offers" ] || {
	echo "base-check: no, no suite carries $BASE_PKG any more: the series needs a rebase onto the Linux that Debian ships now."
	exit 1
}
newest=$(newest_offer <<<"$offers")
version=${newest%% *} suite=${newest#* }
if [ "$version" = "$BASE_MADE_ON" ]; then
	say "base-check: the newest 7.3.y is $version in $suite, the version the series was made on"
else
	say "base-check: the newest 7.3.y is $version in $suite; the series was made on $BASE_MADE_ON"
fi
deb=$(fetch_base "$version" "$suite" "$mirror")

tmp=$WORK/base-check
trap 'rm -rf "$tmp"' EXIT
say "base-check: unpacking it into ${tmp#"$TOP"/} and applying patches/ with git am (no build)"
make_base_tree "$deb" "$version" "$tmp/linux"
if ! apply_series "$tmp/linux"; then
	echo "base-check: no, patch $FAILED_PATCH does not apply to $BASE_PKG $version ($suite): the series needs a rebase onto it."
	exit 1
fi
echo "base-check: yes, the $APPLIED patches of the series apply to $BASE_PKG $version ($suite), the newest 7.3.y"
