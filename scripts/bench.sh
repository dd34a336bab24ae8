#!/usr/bin/env bash
# Benchmark of drm_sgt_sync_range(): builds an arm64 KUnit kernel without
# KASAN and lockdep (kunit/arm64-bench.kunitconfig, work/build-arm64-bench),
# boots it under QEMU with only the cases marked slow (the benchmark suite)
# and prints its table. Not a test: it asserts nothing about time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

say "QEMU: $(qemu-system-aarch64 --version | sed -n 1p)"
rc=0
KUNIT_FLAVOR=arm64-bench "$TOP/scripts/kunit.sh" arm64 --filter 'speed==slow' --qemu_args='-m 2048 -cpu max,pauth-impdef=on' \
	--kernel_args=drm_sgt_sync_test.bench=1 || rc=$?
echo
say "benchmark (QEMU TCG, -cpu max with the cheap implementation-defined pointer authentication, one vCPU: absolute times are emulated, compare ratios)"
grep -h '# drm_sgt_sync_bench: ' "$WORK/build-arm64-bench/test-arm64-bench.log" | sed 's/^.*# drm_sgt_sync_bench: //' ||
	die "the benchmark printed nothing; see work/kunit-arm64-bench.log."
exit $rc
