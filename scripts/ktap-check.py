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

Usage: ktap-check.py LOG KNOWN_FAILURES LABEL [FILE...]
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
    r'kunit_try_catch: .*timed out')
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
    log, known_path, label = sys.argv[1:4]
    touched = set(sys.argv[4:])
    series_modules = {f.rsplit('/', 1)[-1][:-2] for f in touched if f.endswith('.c')}
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

    try:
        with open(log, errors='replace') as f:
            lines = [l.rstrip('\n') for l in f]
    except FileNotFoundError:
        print(f'no kernel log at {log}: the kernel was not built or did not boot')
        print(f'{label}: 0 passed, 1 failed')
        return 1

    for line in lines:
        m = MODULE.match(line)
        if m and len(stack) == 1:
            module = m.group(1)
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
