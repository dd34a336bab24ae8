#!/usr/bin/env python3
"""Judge a KUnit run from the raw kernel log.

Counts leaf test results (parameterized cases count once per parameter),
attributes kernel splats (WARN, BUG, KASAN, lockdep) to the case that was
running when they were printed, and fails on any failed case, any splat,
or a log that ends before the last result. Cases listed in the
known-failures file fail on the base tree already; their failures and
splats are reported but not counted.

Splats are: BUG, oops and panic, KASAN reports, lockdep and lock debugging
reports, sleeping in atomic context, KUnit timeouts, and any WARNING in a
file the series touches (existing DRM tests trigger WARNINGs of the base
on purpose, so those alone are not splats).

PROVE_LOCKING selects DEBUG_WW_MUTEX_SLOWPATH, which makes ww_mutex_lock()
return -EDEADLK at points that depend on how many acquire contexts the
kernel made before. Base tests that treat -EDEADLK as an error instead of
backing off then fail now and then. A failure whose log shows -EDEADLK,
in a test module the series does not touch, is reported as such a flake
and not counted, with the splats of its error path.

Lock debugging is switched off for the rest of the boot by its first
report (DEBUG_LOCKS_WARN_ON, any lockdep report): after it,
lockdep_assert_held() proves nothing. A run in which that happened before
or during a suite of a series module fails, naming the line that did it.
With CONFIG_DMA_API_DEBUG, every error the DMA layer's checker reports is a
splat, and so is the checker disabling itself. The checker reports only
its first error in a boot.

Usage: ktap-check.py [--series MOD,...] [--require-module MOD]
                     LOG KNOWN_FAILURES LABEL [FILE...]
--series: the test modules of the series (the "# module:" of their suites).
--require-module: fail unless a case of this module passed.
FILE: the files the series touches. Known failures name a suite or a case.
Last line: "LABEL: N passed, N failed".
"""
import re
import sys

SPLAT = re.compile(
    r'BUG: |KASAN|Kernel panic|Oops|Internal error|Unable to handle kernel|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|suspicious RCU usage|lock held when returning|'
    r'held lock freed|bad unlock balance|DEBUG_LOCKS_WARN_ON|'
    r'possible irq lock inversion|WARNING: kernel/locking/|'
    r'sleeping function called from invalid context|'
    r'kunit_try_catch: .*timed out|'
    r'WARNING: kernel/dma/debug\.c|DMA-API: .*(?:disabl|out of memory|ENOMEM)')
# Reports after which lock debugging is off for the rest of the boot.
LOCKS_OFF = re.compile(
    r'DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|'
    r'possible circular locking|possible recursive locking|inconsistent lock state|'
    r'possible irq lock inversion|bad unlock balance|held lock freed|'
    r'lock held when returning|WARNING: kernel/locking/|'
    r'INFO: lockdep is turned off|Disabling lock debugging due to kernel taint')
WARNING = re.compile(r'WARNING: (\S+?):\d+ ')
SUBTEST = re.compile(r'^(\s*)# Subtest: (\S+)')
RESULT = re.compile(r'^(\s*)(ok|not ok) \d+ (.*?)( # (?:SKIP|TODO)\b.*)?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)$')
MODULE = re.compile(r'^\s*# module: (\S+)')
EDEADLK = re.compile(r'== -35 \(|-EDEADLK')


def load_known(path):
    known = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith('#'):
                    name, _, why = line.partition(' ')
                    known[name] = why.strip()
    except FileNotFoundError:
        pass
    return known


def main():
    args = sys.argv[1:]
    series_modules = set()
    required = None
    while args and args[0].startswith('--'):
        opt = args.pop(0)
        if opt == '--series':
            series_modules = set(filter(None, args.pop(0).split(',')))
        elif opt == '--require-module':
            required = args.pop(0)
        else:
            sys.exit(f'ktap-check.py: unknown option {opt}')
    log, known_path, label = args[0:3]
    touched = set(args[3:])
    known = load_known(known_path)
    stack = []          # (indent, name) of the open subtests
    pending = []        # splats not yet attributed to a case
    passed = failed = skipped = 0
    known_failed = []
    problems = []
    top_plan = None
    top_results = 0
    module = None
    case_log = []       # lines since the last result
    flakes = []
    locks_off = None    # (line number, text) of the report that turned lock debugging off
    series_suite = None # (line number, name) of the first series suite
    series_end = 0      # line number of the end of the last series suite
    module_passed = {}  # module: cases passed

    try:
        with open(log, errors='replace') as f:
            lines = [l.rstrip('\n') for l in f]
    except FileNotFoundError:
        print(f'no kernel log at {log}: the kernel was not built or did not boot')
        print(f'{label}: 0 passed, 1 failed')
        return 1

    for lineno, line in enumerate(lines, 1):
        if locks_off is None and LOCKS_OFF.search(line):
            locks_off = (lineno, line.strip())
        m = MODULE.match(line)
        if m and len(stack) == 1:
            module = m.group(1)
            if module in series_modules and series_suite is None:
                series_suite = (lineno, stack[0][1])
        m = SUBTEST.match(line)
        if m:
            stack.append((len(m.group(1)), m.group(2)))
            continue
        m = PLAN.match(line)
        if m and not m.group(1) and top_plan is None:
            top_plan = int(m.group(2))
            continue
        m = RESULT.match(line)
        if m:
            indent, status, name, rest = len(m.group(1)), m.group(2), m.group(3), m.group(4) or ''
            if indent == 0:
                top_results += 1
            path = '.'.join([n for _, n in stack] + [name])
            if stack and stack[-1] == (indent + 4, name):
                # End of a suite or of a parameterized case.
                stack.pop()
                if not stack and module in series_modules:
                    series_end = lineno
                path = '.'.join([n for _, n in stack] + [name])
                if pending:
                    problems.append((path, pending))
                    pending = []
                continue
            is_known = any(path == k or path.startswith(k + '.') for k in known)
            if (status == 'not ok' and not is_known and module not in series_modules and
                    any(EDEADLK.search(l) for l in case_log)):
                flakes.append(path)
                is_known = True
            case_log = []
            if '# SKIP' in rest:
                skipped += 1
            elif status == 'ok':
                passed += 1
                module_passed[module] = module_passed.get(module, 0) + 1
            elif is_known:
                known_failed.append(path)
            else:
                failed += 1
                print(f'FAILED: {path}')
            if pending:
                if is_known:
                    print(f'splat in a known failure of the base tree, not counted: {path}')
                else:
                    problems.append((path, pending))
                pending = []
            continue
        case_log.append(line)
        w = WARNING.search(line)
        if SPLAT.search(line) or (w and w.group(1) in touched):
            pending.append(line.strip())

    if pending:
        problems.append(('(after the last result)', pending))
    for path, splats in problems:
        failed += 1
        print(f'kernel splat during {path}:')
        for s in splats[:5]:
            print(f'    {s}')
    for path in known_failed:
        if path in flakes:
            print(f'-EDEADLK not backed off (DEBUG_WW_MUTEX_SLOWPATH) in a base test, not counted: {path}')
        else:
            print(f'known failure of the base tree, not counted: {path}')
    if series_suite and locks_off and locks_off[0] < max(series_end, series_suite[0]) + 1:
        failed += 1
        print(f'lock debugging was turned off at line {locks_off[0]}, '
              f'{"before" if locks_off[0] < series_suite[0] else "during"} '
              f'the series suites (the first, {series_suite[1]}, at line {series_suite[0]}): '
              f'{locks_off[1]}')
    if required and not module_passed.get(required):
        failed += 1
        print(f'no case of module {required} passed')
    if top_plan is None:
        failed += 1
        print('no KTAP output: the kernel did not run the tests')
    elif top_results < top_plan:
        failed += 1
        print(f'the run stopped after {top_results} of {top_plan} suites (crash or timeout)')
    if skipped:
        print(f'{skipped} skipped')
    print(f'{label}: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
