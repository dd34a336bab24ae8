#!/usr/bin/env bash
# Run checkpatch --strict on every patch of the series. Any ERROR, WARNING
# or CHECK fails, unless checkpatch-allow.txt explains that exact message
# for that patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ALLOW=$TOP/checkpatch-allow.txt
[ -x "$TREE/scripts/checkpatch.pl" ] || die "no work tree; run 'make setup' first."

# Allowlist entries: "<patch file glob> | <TYPE: message>", each preceded by
# a comment that says why the message is acceptable.
allowed() {
	local patch=$1 msg=$2 glob text
	[ -f "$ALLOW" ] || return 1
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		glob=${line%% | *}
		text=${line#* | }
		# shellcheck disable=SC2053
		[[ $patch == $glob && $msg == "$text" ]] && return 0
	done < "$ALLOW"
	return 1
}

bad=0
checked=0
for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
	name=$(basename "$p")
	[ "$name" = 0000-cover-letter.patch ] && continue
	checked=$((checked + 1))
	# spdxcheck.py needs the python3-ply and python3-git of Debian's python3.
	out=$(cd "$TREE" && PATH=/usr/bin:/bin:$PATH perl scripts/checkpatch.pl --strict --terse --no-summary \
		--showfile "$p" 2>&1 || true)
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		msg=$(sed -E 's/^[^:]*:[0-9]+: //' <<<"$line")
		if allowed "$name" "$msg"; then
			echo "  allowed: $name: $msg"
		else
			echo "  $name: $line"
			bad=$((bad + 1))
		fi
	done <<<"$out"
done
if [ $bad -gt 0 ]; then
	echo "checkpatch: $bad unexplained message(s) in $checked patches; fix them in the work tree, or explain them in checkpatch-allow.txt."
	exit 1
fi
say "checkpatch --strict: $checked patches clean"
