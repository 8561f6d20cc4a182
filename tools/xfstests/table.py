#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare fstests results of fcpmem and nd_pmem (tools/xfstests/compare).

table.py DIR KVER COMMIT SECONDS   print the reST table of one kernel from
                                   DIR/{fcpmem,nd_pmem}-{ext4,xfs}.txt; exit 1
                                   if a test fails only on fcpmem or results
                                   are missing
table.py --doc FILE DIR...         put DIR/table.rst of each kernel into FILE
                                   between the xfstests-table markers
"""
import datetime
import os
import sys

BEGIN = '.. xfstests-table-begin'
END = '.. xfstests-table-end'


def load(path):
    res = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip('\n').split(' ', 3)
            if len(parts) < 3:
                continue
            res[parts[0]] = (parts[1], parts[3] if len(parts) > 3 else '')
    return res


def cell(tests):
    return ', '.join(sorted(tests)) if tests else 'none'


def table(d, kver, commit, secs):
    out = []
    bad = False
    title = 'Kernel %s' % kver
    out += [title, '^' * len(title), '']
    out.append('%s, fstests %s, both drivers side by side in two guests: %s s wall.'
               % (datetime.date.today().isoformat(), commit, secs))
    out.append('')
    for fs in ('ext4', 'xfs'):
        f, n = os.path.join(d, 'fcpmem-%s.txt' % fs), os.path.join(d, 'nd_pmem-%s.txt' % fs)
        if not (os.path.exists(f) and os.path.exists(n)):
            out += ['%s: results missing (%s)' % (fs, ', '.join(
                p for p in (f, n) if not os.path.exists(p))), '']
            bad = True
            continue
        a, b = load(f), load(n)
        cats = {k: [] for k in ('both', 'bothfail', 'fconly', 'ndonly', 'notrun', 'differ')}
        for t in sorted(set(a) | set(b)):
            sa, ra = a.get(t, ('missing', ''))
            sb, rb = b.get(t, ('missing', ''))
            if sa == 'pass' and sb == 'pass':
                cats['both'].append(t)
            elif sa == 'fail' and sb == 'fail':
                cats['bothfail'].append('%s (%s)' % (t, ra))
            elif sa == 'fail':
                cats['fconly'].append('%s (%s)' % (t, ra))
            elif sb == 'fail':
                cats['ndonly'].append('%s (%s)' % (t, rb))
            elif sa == 'notrun' and sb == 'notrun':
                cats['notrun'].append('%s (%s)' % (t, ra))
            else:
                cats['differ'].append('%s (fcpmem %s, nd_pmem %s: %s)' % (t, sa, sb, ra or rb))
        if cats['fconly'] or cats['differ']:
            bad = bad or bool(cats['fconly'])
        def count(r, s):
            return sum(1 for v in r.values() if v[0] == s)
        out += ['.. list-table:: %s -o dax on %s: fcpmem %d passed, %d failed, %d not run; '
                'nd_pmem %d passed, %d failed, %d not run'
                % (fs, kver, count(a, 'pass'), count(a, 'fail'), count(a, 'notrun'),
                   count(b, 'pass'), count(b, 'fail'), count(b, 'notrun')),
                '   :header-rows: 1', '   :widths: 20 80', '',
                '   * - outcome', '     - tests']
        for key, name in (('both', 'pass on both (%d)'), ('bothfail', 'fail on both (%d)'),
                          ('fconly', 'fail only on fcpmem (%d)'),
                          ('ndonly', 'fail only on nd_pmem (%d)'),
                          ('notrun', 'not run on both (%d)'),
                          ('differ', 'run on one driver only (%d)')):
            out += ['   * - ' + name % len(cats[key]), '     - ' + cell(cats[key])]
        out.append('')
    return '\n'.join(out) + '\n', bad


def doc(path, dirs):
    body = []
    for d in dirs:
        p = os.path.join(d, 'table.rst')
        if os.path.exists(p):
            body.append(open(p).read())
    text = open(path).read()
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < i:
        sys.exit('table.py: no %s ... %s markers in %s' % (BEGIN, END, path))
    text = text[:i] + BEGIN + '\n\n' + '\n'.join(body) + '\n' + text[j:]
    open(path, 'w').write(text)


if __name__ == '__main__':
    if sys.argv[1] == '--doc':
        doc(sys.argv[2], sys.argv[3:])
    else:
        t, bad = table(*sys.argv[1:5])
        sys.stdout.write(t)
        sys.exit(1 if bad else 0)
