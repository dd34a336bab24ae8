# gem-sync: entry points of the series. Run 'make help'.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup test checkpatch kunit-arm64 kunit-arm kunit-x86_64 gates docs bench export series-status reset-tree

help:
	@echo "make setup          install build dependencies, fetch the base, apply the series"
	@echo "make test           checkpatch on every patch, then KUnit on arm64, arm and x86_64 under QEMU"
	@echo "make checkpatch     checkpatch --strict on every patch"
	@echo "make kunit-arm64    KUnit on arm64 only"
	@echo "make kunit-arm      KUnit on 32-bit Arm"
	@echo "make kunit-x86_64   KUnit on x86_64 (panthor and panfrost with COMPILE_TEST)"
	@echo "make gates          bisect, fixes alone on the base, W=1 + sparse, kernel-doc, x86_64 COMPILE_TEST, uAPI ABI"
	@echo "make docs           htmldocs of Documentation/gpu; fails on warnings in the series' files"
	@echo "make bench          benchmark of the sg_table sync helper (arm64, QEMU); not a test"
	@echo "make export         write the work tree's commits back to patches/"
	@echo "make series-status  fail if the work tree has work that patches/ lacks"
	@echo "make reset-tree     throw the work tree away and apply the series again"

setup:
	@scripts/setup.sh

test:
	@scripts/test.sh

checkpatch:
	@scripts/checkpatch.sh

kunit-arm64:
	@scripts/kunit.sh arm64 --filter 'speed>slow'

kunit-arm:
	@scripts/kunit.sh arm --filter 'speed>slow'

kunit-x86_64:
	@scripts/kunit.sh x86_64 --filter 'speed>slow'

gates:
	@scripts/gates.sh

docs:
	@scripts/docs.sh

bench:
	@scripts/bench.sh

export:
	@scripts/export.sh

series-status:
	@scripts/series-status.sh

reset-tree:
	@scripts/series-status.sh || { echo "refusing to throw away unexported work"; exit 1; }
	rm -rf work/linux work/base-version
	@scripts/setup.sh
