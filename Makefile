# gem-sync: entry points of the series. Run 'make help'.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup base-check userspace test mutations checkpatch send-prep send-check send-check-ci kunit-arm64 kunit-arm kunit-x86_64 kunit-riscv64 kunit-um gates gates-ci docs bench export series-status reset-tree

MUTATIONS ?=
# The gates that 'make gates' runs (all by default; GATES="kerneldoc abi"
# for some), and those that fit in CI's time, which .ci/run runs.
GATES ?=
CI_GATES := kerneldoc abi x86 bisect

help:
	@echo "make setup          install build dependencies, fetch the base, apply the series"
	@echo "make base-check     whether the newest 7.3.y that Debian offers still takes the series (git am, no build)"
	@echo "make test           checkpatch on every patch, then KUnit on arm64, arm, x86_64 and riscv64 under QEMU, and on UML"
	@echo "make checkpatch     checkpatch --strict on every patch"
	@echo "make kunit-arm64    KUnit on arm64 only"
	@echo "make kunit-arm      KUnit on 32-bit Arm"
	@echo "make kunit-x86_64   KUnit on x86_64 (panthor and panfrost with COMPILE_TEST)"
	@echo "make kunit-riscv64  KUnit on riscv64 (DRM core and PowerVR)"
	@echo "make kunit-um       kunit.py run --kunitconfig=drivers/gpu/drm/tests, on UML"
	@echo "make mutations      every kunit/mutations patch must make a case fail (arm64; MUTATIONS=\"NAME...\" for some)"
	@echo "make gates          bisect, fixes alone on the base, W=1 + sparse, kernel-doc, x86_64 COMPILE_TEST, uAPI ABI"
	@echo "                    (GATES=\"kerneldoc abi\" for some of them)"
	@echo "make gates-ci       the gates CI runs: $(CI_GATES)"
	@echo "make docs           htmldocs of Documentation/gpu; fails on warnings in the series' files"
	@echo "make bench          benchmark of the sg_table sync helper (arm64, QEMU); not a test"
	@echo "make export         write the work tree's commits back to patches/"
	@echo "make send-prep      the kernel, Mesa and IGT series signed by you (git config user.name/email) with their Cc lists, in SEND_DIR"
	@echo "make send-check     what must hold before sending SEND_DIR: no placeholder, maintainers in Cc, Fixes with stable, cited functions exist"
	@echo "make userspace      the userspace series (Mesa PowerVR, IGT tests): fetch, apply, headers, build; not part of make test"
	@echo "make series-status  fail if the work tree has work that patches/ lacks"
	@echo "make reset-tree     throw the work tree away and apply the series again"

setup:
	@scripts/setup.sh

base-check:
	@scripts/base-check.sh

userspace:
	@$(MAKE) -s -C userspace

test:
	@scripts/test.sh

checkpatch:
	@scripts/checkpatch.sh

kunit-arm64:
	@scripts/kunit.sh arm64

kunit-arm:
	@scripts/kunit.sh arm

kunit-x86_64:
	@scripts/kunit.sh x86_64

kunit-riscv64:
	@scripts/kunit.sh riscv64

kunit-um:
	@scripts/kunit.sh um

mutations:
	@scripts/mutations.sh $(MUTATIONS)

gates:
	@scripts/gates.sh $(GATES)

gates-ci:
	@scripts/gates.sh $(CI_GATES)

docs:
	@scripts/docs.sh

bench:
	@scripts/bench.sh

export:
	@scripts/export.sh

# Where send-prep writes the series to send, and what send-check checks.
SEND_DIR ?= work/send/out

send-prep:
	@scripts/send.py prep $(SEND_DIR)

send-check:
	@scripts/send.py check $(SEND_DIR)

# CI: everything but the identity, on the series as the repository keeps it.
send-check-ci:
	@scripts/send.py prep --keep-identity work/send/ci
	@scripts/send.py check --keep-identity work/send/ci

series-status:
	@scripts/series-status.sh

reset-tree:
	@scripts/series-status.sh || { echo "refusing to throw away unexported work"; exit 1; }
	rm -rf work/linux work/base-version
	@scripts/setup.sh
