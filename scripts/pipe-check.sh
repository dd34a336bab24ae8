#!/usr/bin/env bash
# Keeps the project's shell code free of a reader that may stop early on the
# right of a pipe: 'cmd | grep -q' or 'cmd | head'. Under 'set -o pipefail'
# such a pipeline fails whenever cmd dies of SIGPIPE after its reader exits,
# which depends on timing and pipe buffering: a script that passed where it
# was written can fail on a fresh machine. Read the output into a variable
# first, or let grep read it all (grep ... >/dev/null).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# A pipe, then grep with -q (alone or among other short options) or
# --quiet, or head. Comments are not code.
pattern='\|[[:space:]]*(grep([[:space:]]+-[[:alnum:]]*)*[[:space:]]+(-[[:alnum:]]*q[[:alnum:]]*|--quiet)|head)([[:space:]]|$)'

# What the check looks at: every shell script and Makefile of the project,
# but for the work folder.
files() {
	(cd "$TOP" && git ls-files -co --exclude-standard -- '*.sh' '.ci/*' '*Makefile' '*.mk' |
		grep -v -e '^work/' || true)
}

# The check must see the pattern, or it proves nothing. The seeds are put
# together from parts, so that this file holds no such pipe itself.
p='|'
for seed in "cmd $p grep -q y" "cmd $p grep -Fq y" "cmd $p head -n 1" "cmd ${p}grep --quiet y"; do
	grep -qE "$pattern" <<<"$seed" || die "pipe-check: the pattern misses '$seed'."
done
for seed in "cmd $p grep y >/dev/null" 'grep -q y <<<"$x"' "cmd $p header"; do
	if grep -qE "$pattern" <<<"$seed"; then
		die "pipe-check: the pattern matches '$seed', which is fine."
	fi
done

bad=0
while IFS= read -r f; do
	[ -f "$TOP/$f" ] || continue
	hits=$(sed -E 's/(^|[[:space:]])#.*$//' "$TOP/$f" | grep -nE "$pattern" || true)
	if [ -n "$hits" ]; then
		while IFS= read -r h; do
			say "pipe-check: $f:$h" >&2
		done <<<"$hits"
		bad=1
	fi
done < <(files)
[ $bad = 0 ] || die "a pipe into 'grep -q' or 'head' can fail under pipefail; read the output into a variable first."
say "pipe-check: no pipe into grep -q or head in $(files | wc -l) scripts"
