#!/usr/bin/env python3
"""Make the series ready to send, and check it.

  send.py prep OUT     the kernel, Mesa and IGT series with the sender's
                       identity and the kernel patches' Cc lists, in OUT
  send.py check DIR    what must hold of a series before it is sent

The repository keeps one placeholder identity in its series; the person who
sends them is the one who signs them. prep takes that identity from
SEND_NAME and SEND_EMAIL, else from git config user.name and user.email of
the repository, and refuses a placeholder. With --keep-identity (CI), prep
keeps the placeholder and check skips the identity, checking the rest.

check fails when a patch carries the placeholder identity, when a kernel
patch lacks the Cc of a maintainer that get_maintainer.pl names for it,
when a Fixes: tag comes without Cc: stable or the reverse, or when a
message names a function, as name(), that neither its diff nor the tree
has.
"""

import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get('WORK', os.path.join(TOP, 'work'))
TREE = os.path.join(WORK, 'linux')
PLACEHOLDER_NAME = 'Seed 5932a975 maintainers'
# Cc lists the review asks for beyond get_maintainer.pl: the patch, and a
# file whose maintainers and lists are to be copied.
EXTRA_CC = os.path.join(TOP, 'send-cc.txt')
# Names of functions that messages may cite without the tree having them.
NAMES_OK = os.path.join(TOP, 'send-names-ok.txt')


def die(msg):
    print('error: ' + msg, file=sys.stderr)
    sys.exit(1)


def say(msg):
    print('==> ' + msg)


def git(*args, cwd=TOP):
    return subprocess.run(['git', *args], cwd=cwd, capture_output=True,
                          text=True).stdout.strip()


def is_placeholder(name, email):
    return (not name or not email or '@' not in email or
            PLACEHOLDER_NAME in name or
            email.endswith(('.example', '.invalid', '.localhost', '@localhost')) or
            'noreply' in email)


def identity():
    name = os.environ.get('SEND_NAME') or git('config', 'user.name')
    email = os.environ.get('SEND_EMAIL') or git('config', 'user.email')
    return name, email


def split(text):
    """(headers, message, rest): the mail headers, the commit message up to
    the '---' line, and the rest."""
    head, _, body = text.partition('\n\n')
    i = body.find('\n---\n')
    if i < 0:
        return head, body, ''
    return head, body[:i + 1], body[i + 1:]


def header_value(head, field):
    m = re.search(r'^%s: (.*(?:\n[ \t].*)*)' % field, head, re.M)
    return re.sub(r'\s*\n[ \t]+', ' ', m.group(1)).strip() if m else ''


def gm_tree():
    """A copy of MAINTAINERS and get_maintainer.pl of the series' tip, in a
    folder that get_maintainer.pl takes for a kernel tree."""
    d = os.path.join(WORK, 'send', 'gm-tree')
    tip = git('-C', TREE, 'rev-parse', 'master')
    stamp = os.path.join(d, '.commit')
    if os.path.exists(stamp) and open(stamp).read() == tip:
        return d
    subprocess.run(['rm', '-rf', d], check=True)
    os.makedirs(d)
    files = ['MAINTAINERS', 'COPYING', 'CREDITS', 'Kbuild', 'Makefile', 'README',
             'scripts/get_maintainer.pl']
    arch = subprocess.run(['git', '-C', TREE, 'archive', 'master', *files],
                          capture_output=True, check=True).stdout
    subprocess.run(['tar', '-x', '-C', d], input=arch, check=True)
    for sub in ['Documentation', 'arch', 'include', 'drivers', 'fs', 'init', 'ipc',
                'kernel', 'lib']:
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    open(stamp, 'w').write(tip)
    return d


def get_maintainer(args):
    d = gm_tree()
    out = subprocess.run(['perl', 'scripts/get_maintainer.pl', '--no-git',
                          '--no-git-fallback', '--no-rolestats', '--no-tree',
                          '--no-substatus', *args], cwd=d, capture_output=True, text=True)
    return [l.strip() for l in out.stdout.splitlines() if '@' in l]


def email_of(addr):
    m = re.search(r'<([^>]+)>', addr)
    return (m.group(1) if m else addr).strip().lower()


def extra_cc(number):
    res = []
    if not os.path.exists(EXTRA_CC):
        return res
    for line in open(EXTRA_CC):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        n, what = line.split(None, 1)
        if n != number:
            continue
        if what.startswith('-f '):
            # get_maintainer.pl wants the file; only its path matters.
            f = what[3:].strip()
            path = os.path.join(gm_tree(), f)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, 'a').close()
            res += get_maintainer(['-f', f])
        else:
            res.append(what)
    return res


def kernel_patches(d):
    return sorted(f for f in os.listdir(d) if re.match(r'\d{4}-.*\.patch$', f))


def rewrite_identity(text, name, email):
    ident = '%s <%s>' % (name, email)
    text = re.sub(r'^From: %s\n?\s*<[^>]*>' % re.escape(PLACEHOLDER_NAME),
                  'From: ' + ident, text, count=1, flags=re.M)
    text = re.sub(r'^Signed-off-by: %s <[^>]*>$' % re.escape(PLACEHOLDER_NAME),
                  'Signed-off-by: ' + ident, text, flags=re.M)
    # The cover letter's shortlog, by author.
    return re.sub(r'^%s (\(\d+\):)$' % re.escape(PLACEHOLDER_NAME), name + r' \1', text,
                  flags=re.M)


def prep(out, keep):
    name, email = identity()
    if keep:
        name, email = PLACEHOLDER_NAME, ''
    elif is_placeholder(name, email):
        die('"%s <%s>" is not an identity a maintainer can apply patches from; set '
            'git config user.name and user.email (or SEND_NAME and SEND_EMAIL) to '
            'yours.' % (name, email))
    subprocess.run(['rm', '-rf', out], check=True)
    kout = os.path.join(out, 'kernel')
    os.makedirs(kout, exist_ok=True)
    every = []
    src = os.path.join(TOP, 'patches')
    for f in kernel_patches(src):
        text = open(os.path.join(src, f)).read()
        if not keep:
            text = rewrite_identity(text, name, email)
        if not f.startswith('0000-'):
            head, msg, rest = split(text)
            have = {email_of(l[4:]) for l in msg.splitlines() if l.startswith('Cc: ')}
            path = os.path.join(kout, f)
            open(path, 'w').write(text)
            cc = []
            for a in get_maintainer([path]) + extra_cc(f[:4]):
                if email_of(a) not in have and email_of(a) not in {email_of(c) for c in cc}:
                    cc.append(a)
            every += [a for a in cc if email_of(a) not in {email_of(e) for e in every}]
            lines = msg.rstrip('\n').split('\n')
            # Before the sender's Signed-off-by, after the other trailers.
            i = max(j for j, l in enumerate(lines) if l.startswith('Signed-off-by: '))
            lines[i:i] = ['Cc: ' + a for a in cc]
            text = head + '\n\n' + '\n'.join(lines) + '\n' + rest
        open(os.path.join(kout, f), 'w').write(text)
    # The cover letter goes to everyone any patch goes to.
    cover = os.path.join(kout, '0000-cover-letter.patch')
    if os.path.exists(cover) and every:
        text = open(cover).read()
        head, _, body = text.partition('\n\n')
        head += '\nCc: ' + ',\n '.join(every)
        open(cover, 'w').write(head + '\n\n' + body)
    for proj in ['mesa', 'igt']:
        src = os.path.join(TOP, 'userspace', proj)
        dst = os.path.join(out, proj)
        os.makedirs(dst, exist_ok=True)
        for f in kernel_patches(src):
            text = open(os.path.join(src, f)).read()
            if not keep:
                text = rewrite_identity(text, name, email)
            open(os.path.join(dst, f), 'w').write(text)
    say('wrote the kernel, Mesa and IGT series to %s, as %s' %
        (os.path.relpath(out, TOP), 'the placeholder' if keep else '%s <%s>' % (name, email)))
    env = dict(os.environ, PATCHES=kout)
    if subprocess.run([os.path.join(TOP, 'scripts', 'checkpatch.sh')], env=env).returncode:
        die('checkpatch --strict fails on the prepared series.')


def names_ok():
    if not os.path.exists(NAMES_OK):
        return set()
    return {l.split()[0] for l in open(NAMES_OK) if l.strip() and not l.startswith('#')}


def in_tree(name):
    r = subprocess.run(['git', '-C', TREE, 'grep', '-q', '-w', '-e', name, 'master', '--'],
                       capture_output=True)
    return r.returncode == 0


def check(d, skip_identity):
    problems = []
    ok_names = names_ok()
    kdir = os.path.join(d, 'kernel') if os.path.isdir(os.path.join(d, 'kernel')) else d
    series = [(os.path.join(kdir, f), True) for f in kernel_patches(kdir)]
    for proj in ['mesa', 'igt']:
        p = os.path.join(d, proj)
        if os.path.isdir(p):
            series += [(os.path.join(p, f), False) for f in kernel_patches(p)]
    for path, kernel in series:
        f = os.path.relpath(path, d)
        text = open(path).read()
        head, msg, rest = split(text)
        sender = header_value(head, 'From')
        if not skip_identity:
            n, _, e = sender.partition(' <')
            if is_placeholder(n, e.rstrip('>')) or PLACEHOLDER_NAME in text:
                problems.append('%s: sent as the placeholder identity' % f)
            sobs = [l[15:] for l in msg.splitlines() if l.startswith('Signed-off-by: ')]
            if not f.endswith('0000-cover-letter.patch') and sender not in sobs:
                problems.append('%s: no Signed-off-by of its sender %s' % (f, sender))
        if not kernel or os.path.basename(path).startswith('0000-'):
            continue
        lines = msg.splitlines()
        fixes = any(l.startswith('Fixes: ') for l in lines)
        stable = any(re.match(r'Cc: stable@vger\.kernel\.org\b', l) for l in lines)
        if fixes and not stable:
            problems.append('%s: Fixes: without Cc: stable@vger.kernel.org' % f)
        if stable and not fixes:
            problems.append('%s: Cc: stable without a Fixes: tag' % f)
        cc = {email_of(l[4:]) for l in lines if l.startswith('Cc: ')}
        cc |= {email_of(a) for a in header_value(head, 'Cc').split(',') if a.strip()}
        for a in get_maintainer(['-m', '--no-r', '--no-l', path]):
            if email_of(a) not in cc:
                problems.append('%s: no Cc of maintainer %s' % (f, a))
        body = '\n'.join(l for l in lines if not re.match(r'[A-Za-z-]+: ', l))
        diff = rest
        for name in sorted(set(re.findall(r'\b([A-Za-z_][A-Za-z0-9_]*)\(\)', body))):
            if name in ok_names or re.search(r'\b%s\b' % re.escape(name), diff):
                continue
            if not in_tree(name):
                problems.append('%s: names %s(), which neither its diff nor the tree has'
                                % (f, name))
    for p in problems:
        print('  ' + p)
    if problems:
        die('send-check: %d problem(s) in %d patches' % (len(problems), len(series)))
    say('send-check: %d patches ready to send%s' %
        (len(series), ' (identity not checked)' if skip_identity else ''))


def main():
    args = sys.argv[1:]
    keep = '--keep-identity' in args
    args = [a for a in args if a != '--keep-identity']
    if len(args) != 2 or args[0] not in ('prep', 'check'):
        die('usage: send.py prep|check [--keep-identity] DIR')
    if not os.path.isdir(os.path.join(TREE, '.git')):
        die("no work tree; run 'make setup' first.")
    d = os.path.abspath(args[1])
    if args[0] == 'prep':
        prep(d, keep)
    else:
        check(d, keep)


if __name__ == '__main__':
    main()
