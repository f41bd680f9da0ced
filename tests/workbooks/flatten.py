#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Make every folded (>-) block scalar fold into ONE line.

Mistral only recognises an inline expression when '<% ... %>' has no newline,
and YAML keeps the newlines of "more indented" lines inside a folded scalar.
This rewrites each '>-' block so that all its lines share the block's
indentation.  Usage: python tests/workbooks/flatten.py workbooks/*.yaml
"""
import re
import sys


RISKY = re.compile(r'^(\s*(?:- )?[\w\-]+): (<%.*%>)\s*$')


def fold_risky(text):
    """'key: <% ... ': ' ... %>' is not valid plain YAML: fold it."""
    out = []
    for line in text.split('\n'):
        m = RISKY.match(line)
        if m and (': ' in m.group(2) or ' #' in m.group(2)):
            key = m.group(1)
            ind = len(key) - len(key.lstrip())
            if key.lstrip().startswith('- '):
                ind += 2
            out.append(key + ': >-')
            out.append(' ' * (ind + 2) + m.group(2))
        else:
            out.append(line)
    return '\n'.join(out)


def flatten(text):
    text = fold_risky(text)
    lines = text.split('\n')
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if re.search(r':\s*(&\w+\s+)?>-\s*$', line):
            key_indent = len(line) - len(line.lstrip())
            block = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) -
                                      len(lines[i].lstrip()) > key_indent):
                block.append(lines[i])
                i += 1
            # trailing blank lines belong after the block
            trail = []
            while block and not block[-1].strip():
                trail.insert(0, block.pop())
            if block:
                ind = min(len(b) - len(b.lstrip()) for b in block if b.strip())
                out.extend(' ' * ind + b.strip() for b in block if b.strip())
            out.extend(trail)
    return '\n'.join(out)


if __name__ == '__main__':
    for p in sys.argv[1:]:
        src = open(p).read()
        new = flatten(src)
        if new != src:
            open(p, 'w').write(new)
            print('flattened', p)
