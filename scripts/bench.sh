#!/usr/bin/env bash
# Benchmark of drm_gem_sgt_sync(): boots the arm64 KUnit kernel of
# 'make test' under QEMU with only the cases marked slow (the benchmark
# suite) and prints its table. Not a test: it asserts nothing about time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

say "QEMU: $(qemu-system-aarch64 --version | head -n 1)"
rc=0
"$TOP/scripts/kunit.sh" arm64 --filter 'speed==slow' --qemu_args='-m 2048' \
	--kernel_args=drm_gem_sgt_sync_test.bench=1 || rc=$?
echo
say "benchmark (QEMU TCG, -cpu max; the kernel has KASAN and lockdep on, so absolute times are inflated; compare ratios)"
grep -h 'drm_gem_sgt_sync bench:' "$WORK/build-arm64/test.log" | sed 's/^.*drm_gem_sgt_sync bench: //' ||
	die "the benchmark printed nothing; see work/kunit-arm64.log."
exit $rc
