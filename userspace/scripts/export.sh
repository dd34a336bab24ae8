#!/usr/bin/env bash
# Write the commits of each userspace work tree on its base back into
# userspace/<project>/ as git format-patch output. A re-export of an
# unchanged tree produces no diff.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for name in mesa igt; do
	tree=$USRC/$name
	if [ ! -d "$tree/.git" ]; then
		say "$name: no work tree, its series in userspace/$name is left as it is"
		continue
	fi
	if [ "$(git -C "$tree" rev-list --count base..HEAD)" = 0 ]; then
		say "$name: no commits on base, its series in userspace/$name is left as it is"
		continue
	fi
	out=$US/$name
	tip_date=$(git -C "$tree" log -1 --format=%aD)
	rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
	GIT_COMMITTER_DATE=$tip_date git -C "$tree" format-patch -q --zero-commit --no-signature \
		--full-index -o "$out" base..HEAD >/dev/null
	say "$name: exported $(git -C "$tree" rev-list --count base..HEAD) patches to userspace/$name"
done
