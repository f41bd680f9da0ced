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

"""benchmarks/results.py: a refreshed section keeps the run before it."""

from benchmarks import results


def _write(monkeypatch, path, *sections):
    monkeypatch.setattr(results, 'PATH', str(path))
    for name, body in sections:
        results.write_section(name, 'Section %s' % name, body)
    return path.read_text()


def test_the_run_before_stays_beside_the_new_one(tmp_path, monkeypatch):
    text = _write(monkeypatch, tmp_path / 'R.md', ('a', 'first'),
                  ('b', 'other'), ('a', 'second'), ('a', 'third'))
    assert text.count('<!-- begin a -->') == 1
    assert text.count('<!-- begin a-previous -->') == 1
    now = text.index('third')
    before = text.index('second')
    assert text.index('<!-- begin a -->') < now < before < \
        text.index('<!-- end a-previous -->') < text.index('<!-- begin b -->')
    assert 'first' not in text
    assert '### Section a, the run before' in text
    assert '\n\n\n' not in text
    # the other section is left as it was, with no run before
    assert 'b-previous' not in text and 'other' in text


def test_a_new_section_has_no_run_before(tmp_path, monkeypatch):
    text = _write(monkeypatch, tmp_path / 'R.md', ('a', 'only'))
    assert text.startswith(results.HEADER)
    assert 'a-previous' not in text and 'only' in text
