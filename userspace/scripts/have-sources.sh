#!/usr/bin/env bash
# Exits 0 when the IGT and Mesa sources of VERSIONS can be had here (a
# variable naming them, or the snapshots in VENDOR_DIR), 1 otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
for name in igt mesa; do
	[ -n "$(us_source "$name")" ] || exit 1
done
