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

"""The bundled Mistral workflow definitions: load, check, sync.

Every file in ``workbooks/`` is one ``workflows.create()``-able definition
(``version: '2.0'`` + standalone workflows with bare names).  Each workflow
carries the tags ``backup-dashboard`` and ``bd-<hash>``, the version marker:
in the files it is the placeholder ``bd-version``, which :func:`bundled`
replaces with ``bd-`` + the first 12 hex digits of the SHA-256 of the file,
so any change to a file makes the copy in Mistral "outdated".

    bundled()                    -> [(filename, definition_text)]
    check(mistral_client)        -> [{name, state: ok|missing|outdated,
                                      file, ...}]
    sync(mistral_client, scope)  -> {'created': [...], 'updated': [...],
                                     'unchanged': [...], 'errors': [...]}
    main()                       console script
                                 backup-dashboard-sync-workbooks
"""

import argparse
import functools
import hashlib
import json
import os
from pathlib import Path
import re
import sys

import yaml

from backup_dashboard import governance

TAG = 'backup-dashboard'
PLACEHOLDER = 'bd-version'
_NAME_RE = re.compile(r'^([A-Za-z_][\w\-]*):\s*$')


def workbooks_dir():
    """The package's ``workbooks/`` folder.

    Real files in a wheel, the symlink to the repository's folder in a
    checkout (see README.rst).
    """
    return Path(__file__).parent / 'workbooks'


def marker_for(raw_text):
    return 'bd-' + hashlib.sha256(raw_text.encode('utf-8')).hexdigest()[:12]


def bundled():
    """[(filename, definition_text)] with the version marker filled in."""
    out = []
    for path in sorted(workbooks_dir().glob('*.yaml')):
        raw = path.read_text(encoding='utf-8')
        out.append((path.name, raw.replace(PLACEHOLDER, marker_for(raw))))
    return out


def workflow_names(definition):
    data = yaml.safe_load(definition) or {}
    return [
        k for k, v in data.items() if k != 'version' and isinstance(v, dict)
    ]


def expected():
    """{workflow name: (filename, marker)} for every bundled workflow.

    Parsed once per version of the files: the Backup Schedules index asks
    on every request, and parsing the YAML was most of its time.
    """
    files = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted(workbooks_dir().glob('*.yaml')))
    return dict(_expected(files))


@functools.lru_cache(maxsize=8)
def _expected(_files):
    out = {}
    for fname, text in bundled():
        raw = (workbooks_dir() / fname).read_text(encoding='utf-8')
        for name in workflow_names(text):
            out[name] = (fname, marker_for(raw))
    return out


def _attr(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


# What check() and sync() read of a listed workflow.
VISIBLE_FIELDS = ('name', 'namespace', 'scope', 'tags', 'project_id')


def _visible(mistral_client):
    """name -> the workflow this user gets by that name (own project first)."""
    found = {}
    # Not every definition on every index view: only the fields read.
    for wf in mistral_client.workflows.list(fields=list(VISIBLE_FIELDS)):
        name = _attr(wf, 'name')
        if not name or _attr(wf, 'namespace') not in (None, ''):
            continue
        prev = found.get(name)
        # a private one of the caller's own project shadows a public one
        if prev is None or (_attr(prev, 'scope') == 'public' and
                            _attr(wf, 'scope') != 'public'):
            found[name] = wf
    return found


def check(mistral_client):
    """Each bundled workflow's state in Mistral.

    [{name, state, file, scope, marker, found_tags}].
    """
    vis = _visible(mistral_client)
    out = []
    for name, (fname, marker) in sorted(expected().items()):
        wf = vis.get(name)
        if wf is None:
            state, tags, scope = 'missing', [], None
        else:
            tags = list(_attr(wf, 'tags', None) or [])
            scope = _attr(wf, 'scope')
            state = 'ok' if marker in tags else 'outdated'
        out.append({
            'name': name,
            'state': state,
            'file': fname,
            'scope': scope,
            'marker': marker,
            'found_tags': tags
        })
    return out


def _single(definition, name):
    data = yaml.safe_load(definition)
    return yaml.safe_dump({
        'version': '2.0',
        name: data[name]
    }, sort_keys=False, default_flow_style=False, width=100000)


def _own(wf, project_id):
    return project_id is None or _attr(wf, 'project_id') in (None, project_id)


def sync(mistral_client, scope='private', project_id=None):
    """Create or update every bundled definition; idempotent.

    A file whose workflows are all current is left alone; one whose
    workflows all exist is updated in one call; one with missing workflows
    gets them created (one by one), then is updated as a whole.
    """
    if scope not in ('private', 'public'):
        raise ValueError('scope must be private or public')
    report = {
        'scope': scope,
        'created': [],
        'updated': [],
        'unchanged': [],
        'errors': []
    }
    states = {c['name']: c for c in check(mistral_client)}
    vis = _visible(mistral_client)
    for fname, text in bundled():
        names = workflow_names(text)
        if all(states[n]['state'] == 'ok' and states[n]['scope'] == scope
               for n in names):
            report['unchanged'].extend(names)
            continue
        # Only workflows of our own project (or not found) can be created or
        # updated here.
        missing = [
            n for n in names if n not in vis or not _own(vis[n], project_id)
        ]
        try:
            if len(missing) == len(names):
                mistral_client.workflows.create(text, scope=scope)
                report['created'].extend(names)
                continue
            for n in missing:
                mistral_client.workflows.create(_single(text, n), scope=scope)
                report['created'].append(n)
            mistral_client.workflows.update(text, scope=scope)
            report['updated'].extend(n for n in names if n not in missing)
        except Exception as e:  # report and go on with the other files
            report['errors'].append('%s: %s' % (fname, e))
    # Where admins keep retention locks: created empty (no lock), never
    # overwritten; runs delete nothing while they cannot read it.
    if governance.WORKFLOW not in vis:
        try:
            mistral_client.workflows.create(governance.definition({}),
                                            scope=scope)
            report['created'].append(governance.WORKFLOW)
        except Exception as e:
            report['errors'].append('%s: %s' % (governance.WORKFLOW, e))
    return report


# ------------------------------------------------------------ console script
def _session_from_env():
    from keystoneauth1 import loading
    from keystoneauth1 import session as ks_session
    env = os.environ
    loader = loading.get_plugin_loader('password')
    auth = loader.load_from_options(
        auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'],
        password=env['OS_PASSWORD'],
        project_name=env.get('OS_PROJECT_NAME') or env.get('OS_TENANT_NAME'),
        project_id=env.get('OS_PROJECT_ID'),
        user_domain_name=env.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=env.get('OS_PROJECT_DOMAIN_NAME', 'Default'))
    verify = not env.get('OS_INSECURE') and (env.get('OS_CACERT') or True)
    return ks_session.Session(auth=auth, verify=verify)


def client_from_env():
    from mistralclient.api.v2 import client as mistral_client
    sess = _session_from_env()
    mc = mistral_client.Client(
        session=sess, enforce_raw_definitions=True, service_type='workflowv2',
        endpoint_type=os.environ.get('OS_INTERFACE', 'public'),
        region_name=os.environ.get('OS_REGION_NAME'))
    access = sess.auth.get_access(sess)
    return mc, access


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='backup-dashboard-sync-workbooks',
        description='Create or update the backup-dashboard Mistral workflows '
        '(credentials from OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, '
        'OS_PROJECT_NAME, ...).')
    p.add_argument('--check', action='store_true',
                   help='only say what is missing or outdated')
    p.add_argument('--scope', choices=('public', 'private'),
                   help='default: public when the user is admin, else private')
    p.add_argument('--json', action='store_true',
                   help='machine-readable output')
    args = p.parse_args(argv)
    try:
        mc, access = client_from_env()
    except KeyError as e:
        sys.stderr.write('missing environment variable %s\n' % e)
        return 2
    if args.check:
        res = check(mc)
        if args.json:
            print(json.dumps(res, indent=1))
        else:
            for r in res:
                print('%-40s %-9s %s' % (r['name'], r['state'], r['file']))
        return 0 if all(r['state'] == 'ok' for r in res) else 1
    scope = args.scope or ('public' if 'admin' in (access.role_names or [])
                           else 'private')
    rep = sync(mc, scope=scope, project_id=access.project_id)
    if args.json:
        print(json.dumps(rep, indent=1))
    else:
        for key in ('created', 'updated', 'unchanged'):
            if rep[key]:
                print('%s (%s): %s' % (key, scope, ', '.join(rep[key])))
        for e in rep['errors']:
            print('ERROR %s' % e)
    return 1 if rep['errors'] else 0


if __name__ == '__main__':
    sys.exit(main())
