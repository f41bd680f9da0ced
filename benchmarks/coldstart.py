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

"""From `make demo` to a working login, on a machine with the packages.

    .venv/bin/python -m benchmarks.coldstart [--kinds cold,warm]
        [--no-results]

For each kind it stops the local OpenStack (``minicloud down``; ``cold``
also deletes its data with ``minicloud purge``, keeping the Debian packages
and the services' virtualenv), starts ``make demo`` and logs in to the demo
Horizon as demo / demo, as a user's browser would (login form, CSRF token),
until the project overview answers. It reports the time to that login, and
from ``minicloud up``'s own figures (.minicloud/figures.json) the steps of
``up`` and when each service answered, then what came after ``up``
(``make demo``'s workbook sync and Horizon's start). ``make demo`` is
stopped at the end (by its process group); the cloud is left running.
Refreshes the ``coldstart`` section of RESULTS.md.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

import requests

from benchmarks import results

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINICLOUD = os.path.join(ROOT, 'tools', 'minicloud', 'minicloud')
FIGURES = os.path.join(ROOT, '.minicloud', 'figures.json')
HORIZON = 'http://127.0.0.1:8000'
TIMEOUT = 900


def logged_in():
    """Whether demo / demo logs in to the demo Horizon now."""
    session = requests.Session()
    try:
        session.get(HORIZON + '/auth/login/', timeout=30)
        res = session.post(HORIZON + '/auth/login/', timeout=60, data={
            'username': 'demo', 'password': 'demo', 'region': 'default',
            'domain': 'Default',
            'csrfmiddlewaretoken': session.cookies.get('csrftoken', '')},
            headers={'Referer': HORIZON + '/auth/login/'})
    except requests.RequestException:
        return False
    return res.status_code == 200 and '/auth/login/' not in res.url


def measure(kind):
    subprocess.run([MINICLOUD, 'down'], check=True, cwd=ROOT)
    if kind == 'cold':
        subprocess.run([MINICLOUD, 'purge'], check=True, cwd=ROOT)
    t0 = time.time()
    log = open(os.path.join(ROOT, 'test-output', 'coldstart-%s.log' % kind),
               'w')
    demo = subprocess.Popen(['make', 'demo'], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while not logged_in():
            if demo.poll() is not None:
                sys.exit('make demo ended (exit %d): see %s'
                         % (demo.returncode, log.name))
            if time.time() - t0 > TIMEOUT:
                sys.exit('no login after %d s: see %s' % (TIMEOUT, log.name))
            time.sleep(0.5)
        total = time.time() - t0
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait()
        log.close()
    with open(FIGURES) as f:
        up = json.load(f)['last_up']
    return {'kind': kind, 'total': total, 'up': up}


def report(found):
    lines, steps, ready = [], [], []
    for run in found:
        up = run['up']
        after = run['total'] - up['seconds']
        lines.append([run['kind'], '%.1f' % run['total'],
                      '%.1f' % up['seconds'], '%.1f' % after,
                      up.get('kind', '')])
        for name, seconds in up.get('phases') or []:
            steps.append([run['kind'], name, '%.1f' % seconds])
        for name, seconds in sorted((up.get('ready_seconds') or {}).items(),
                                    key=lambda item: item[1]):
            ready.append([run['kind'], name, '%.1f' % seconds])
    body = [
        'From `make demo` (the packages and the services\' virtualenv '
        'installed) to a working login as demo in the demo Horizon. '
        '*cold*: the cloud\'s data purged first (new databases, schemas, '
        'seed); *warm*: data kept (`minicloud down` only). Target: under '
        '90 s cold.', '',
        results.table(['kind', 'to login (s)', 'minicloud up (s)',
                       'after up: workbook sync, Horizon start, login (s)',
                       'up reported'], lines), '',
        'Steps of `minicloud up`, in order:', '',
        results.table(['kind', 'step', 's'], steps), '',
        'Each service, from the start of its step to its answer (services of '
        'one step start together):', '',
        results.table(['kind', 'service', 's'], ready)]
    return '\n'.join(body)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--kinds', default='cold,warm')
    parser.add_argument('--no-results', action='store_true')
    args = parser.parse_args(argv)
    os.makedirs(os.path.join(ROOT, 'test-output'), exist_ok=True)
    found = []
    for kind in args.kinds.split(','):
        run = measure(kind)
        print('%s: login after %.1f s (minicloud up %.1f s)'
              % (kind, run['total'], run['up']['seconds']), flush=True)
        found.append(run)
    text = report(found)
    print(text)
    if not args.no_results:
        results.write_section('coldstart', 'Demo cold start '
                              '(benchmarks/coldstart.py)', text)


if __name__ == '__main__':
    main()
