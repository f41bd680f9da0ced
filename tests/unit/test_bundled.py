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

"""The bundled definitions: contract, Mistral's parser and actions, sync."""

import yaml

from backup_dashboard import bundled
from backup_dashboard import governance
from tests.simulations import require_mistral
from tests.workbooks import bridge


def all_workflows():
    out = {}
    for fname, text in bundled.bundled():
        for name, wf in yaml.safe_load(text).items():
            if name != 'version':
                out[name] = (fname, wf)
    return out


def inputs(wf):
    out = {}
    for item in wf.get('input', []):
        if isinstance(item, dict):
            out.update(item)
        else:
            out[item] = '<required>'
    return out


EXPECTED = {
    'backup_dashboard_schedule', 'backup_dashboard_volume_backup',
    'backup_dashboard_volume_by_id', 'backup_dashboard_delete_backup',
    'backup_dashboard_retention_lock',
    'backup_dashboard_report', 'backup_dashboard_restore',
    'backup_dashboard_drill', 'backup_dashboard_drill_volume',
    'backup_dashboard_drill_release',
    'backup_dashboard_due',
    'backup_dashboard_point_restore', 'backup_dashboard_point_check_backup',
    'backup_dashboard_point_restore_volume',
    'backup_dashboard_point_release_volume',
    'cinder_volume_backup_full', 'cinder_volume_backup_full_incremental',
    'cinder_volume_backup_rotation', 'create_backups_workflow'
}


def test_bundled_files_and_names():
    files = [f for f, _ in bundled.bundled()]
    assert 'schedule.yaml' in files and 'restore.yaml' in files
    assert set(all_workflows()) == EXPECTED
    for name in EXPECTED:
        assert name.startswith('backup_dashboard_') or name in (
            'cinder_volume_backup_full',
            'cinder_volume_backup_full_incremental',
            'cinder_volume_backup_rotation', 'create_backups_workflow')


def test_version_marker_and_tags():
    for fname, text in bundled.bundled():
        raw = (bundled.workbooks_dir() / fname).read_text()
        assert bundled.PLACEHOLDER in raw
        assert bundled.PLACEHOLDER not in text
        data = yaml.safe_load(text)
        assert data['version'] == '2.0'
        for name, wf in data.items():
            if name == 'version':
                continue
            assert wf['tags'] == ['backup-dashboard',
                                  bundled.marker_for(raw)], name


def test_definitions_are_mistral_safe_yaml():
    """No YAML anchors and no expression spanning lines.

    No anchors (Mistral's loader ignores them) and no expression spanning lines
    (Mistral only sees '<% %>' on one line).
    """
    def walk(x, path):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, path + '/' + str(k))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, path + '/%d' % i)
        elif isinstance(x, str) and '<%' in x:
            assert '\n' not in x, path
            assert x.count('<%') == x.count('%>'), path
    for fname, text in bundled.bundled():
        for line in text.splitlines():
            s = line.split('#')[0]
            assert not any(
                tok.startswith(('&',
                                '*')) and len(tok) > 1 and tok[1].isalpha()
                for tok in s.split()), (fname, line)
        walk(yaml.safe_load(text), fname)


def test_schedule_contract():
    _, wf = all_workflows()['backup_dashboard_schedule']
    assert inputs(wf) == {
        'schedule': '<required>',
        'tag': '<required>',
        'mode': 'rotation',
        'max_full': 2,
        'max_incremental': 6,
        'keep_days': None,
        'in_use': 'snapshot',
        'points': 'volume',
        'report_to': [],
        'concurrency': 4,
        'timeout': 3600,
        'description': '',
        'timezone': 'UTC',
        'local_pattern': None,
        'previous_ids': []
    }
    assert {'schedule', 'status', 'volumes', 'counts'} <= set(wf['output'])
    text = (bundled.workbooks_dir() / 'schedule.yaml').read_text()
    assert 'volumes_get_server_volumes' not in text.replace(
        '# limit=-1: novaclient follows every page.  '
        'Never nova.volumes_get_server_volumes:',
        '')
    t = wf['tasks']['find_servers']
    assert t['action'] == 'nova.servers_list' and t['input']['limit'] == -1
    assert 'tags' in t['input']['search_opts']
    assert 'concurrency' in wf['tasks']['backup_volumes']
    assert wf['tasks']['backup_volumes'][
        'workflow'] == 'backup_dashboard_volume_backup'


def test_restore_and_seed_contracts():
    wfs = all_workflows()
    assert set(inputs(wfs['backup_dashboard_restore'][1])) == {
        'backup_id', 'target', 'volume_id', 'name', 'volume_type',
        'availability_zone', 'size', 'server_id', 'device', 'timeout'
    }
    assert set(wfs['backup_dashboard_restore'][1]['output']) == {
        'volume', 'status', 'attached', 'server', 'error'}
    for name in ('cinder_volume_backup_full',
                 'cinder_volume_backup_full_incremental',
                 'cinder_volume_backup_rotation'):
        ins = inputs(wfs[name][1])
        assert set(ins) == {
            'volume_id', 'backup_name', 'max_full_backups',
            'max_incremental_backups'
        }
        assert ins['volume_id'] == ins['backup_name'] == '<required>'
    assert inputs(wfs['create_backups_workflow'][1]) == {
        'projects_id_list': None,
        'volumes_id_list': None,
        'incremental': False,
        'report_to_list': None,
        'snapshot_name': 'by_create_backups_workflow'
    }


def test_point_restore_contract():
    _, wf = all_workflows()['backup_dashboard_point_restore']
    assert inputs(wf) == {
        'members': '<required>', 'target': 'new_server', 'server_id': None,
        'server_name': None, 'flavor': None, 'network_id': None,
        'timeout': 3600}
    assert set(wf['output']) == set(wf['output-on-error']) == {
        'server', 'volumes', 'error'}
    # members are data: no expression is built from their text
    for fname in ('point_restore.yaml', 'point_restore_volumes.yaml'):
        text = (bundled.workbooks_dir() / fname).read_text()
        assert 'eval' not in text and '{{' not in text, fname


def test_no_smtp_settings_in_definitions():
    for fname, text in bundled.bundled():
        for word in ('smtp_password:', 'from_addr:', 'smtp_server:'):
            for line in text.splitlines():
                if word in line and not line.lstrip().startswith('#'):
                    assert 'env()' in text and '$.smtp' in line, (fname, line)


def test_parser_and_actions():
    """Mistral's own DSL parser; every action exists with those parameters."""
    require_mistral()
    rep = bridge.validate()
    assert all(f['ok'] for f in rep['files'].values()), rep['files']
    assert rep['problems'] == []
    assert set(rep['workflows']) == EXPECTED
    used = {a for w in rep['workflows'].values() for a in w['actions']}
    assert 'nova.volumes_get_server_volumes' not in used
    assert {
        'nova.servers_list', 'cinder.backups_create', 'cinder.backups_get',
        'cinder.backups_delete', 'std.email', 'cinder.volumes_create'
    } <= used


def test_validator_catches_mistakes(tmp_path):
    require_mistral()
    bad = tmp_path / 'bad.yaml'
    bad.write_text(
        "version: '2.0'\nwf:\n  tasks:\n"
        "    t:\n      action: cinder.backups_get backup=1\n"
        "    u:\n      action: cinder.nope\n"
        "    v:\n      action: cinder.backups_create volume_id=1 "
        "incremantal=true\n")
    rep = bridge.validate([str(bad)])
    text = '\n'.join(rep['problems'])
    assert "no parameter 'backup'" in text
    assert 'unknown action cinder.nope' in text
    assert "'incremantal'" in text


# ------------------------------------------------------------ sync / check
class FakeWorkflows(object):
    def __init__(self, project='p1'):
        self.rows = {}
        self.project = project
        self.calls = []

    def list(self, fields='', **kw):
        # as Mistral: only the fields asked for (and the id), when asked
        if not fields:
            return list(self.rows.values())
        return [{k: v for k, v in row.items() if k in fields}
                for row in self.rows.values()]

    def _store(self, definition, scope):
        for name, wf in yaml.safe_load(definition).items():
            if name != 'version':
                self.rows[name] = {
                    'name': name,
                    'tags': wf.get('tags', []),
                    'scope': scope,
                    'namespace': '',
                    'project_id': self.project
                }

    def create(self, definition, namespace='', scope='private'):
        self.calls.append(
            ('create', sorted(bundled.workflow_names(definition))))
        for n in bundled.workflow_names(definition):
            assert n not in self.rows, 'duplicate create %s' % n
        self._store(definition, scope)

    def update(self, definition, namespace='', scope='private'):
        self.calls.append(
            ('update', sorted(bundled.workflow_names(definition))))
        for n in bundled.workflow_names(definition):
            assert n in self.rows, 'update of missing %s' % n
        self._store(definition, scope)


class FakeMistral(object):
    def __init__(self):
        self.workflows = FakeWorkflows()


def test_check_and_sync_idempotent():
    mc = FakeMistral()
    assert {c['state'] for c in bundled.check(mc)} == {'missing'}
    rep = bundled.sync(mc, scope='public', project_id='p1')
    # and where admins keep retention locks, empty, once
    assert set(rep['created']) == EXPECTED | {governance.WORKFLOW}
    assert not rep['errors']
    assert {c['state'] for c in bundled.check(mc)} == {'ok'}
    mc.workflows.calls.clear()
    rep = bundled.sync(mc, scope='public', project_id='p1')
    assert set(rep['unchanged']) == EXPECTED and mc.workflows.calls == []
    # an old version in Mistral -> outdated -> updated
    mc.workflows.rows['backup_dashboard_schedule']['tags'] = [
        'backup-dashboard', 'bd-000000000000'
    ]
    states = {c['name']: c['state'] for c in bundled.check(mc)}
    assert states['backup_dashboard_schedule'] == 'outdated'
    rep = bundled.sync(mc, scope='public', project_id='p1')
    assert rep['updated'] == ['backup_dashboard_schedule']
    # one workflow of a file missing -> created alone, then the file updated
    del mc.workflows.rows['backup_dashboard_delete_backup']
    rep = bundled.sync(mc, scope='public', project_id='p1')
    assert rep['created'] == ['backup_dashboard_delete_backup']
    assert {c['state'] for c in bundled.check(mc)} == {'ok'}


def test_sync_reports_errors_and_goes_on():
    mc = FakeMistral()

    def boom(definition, namespace='', scope='private'):
        if 'backup_dashboard_restore' in definition:
            raise RuntimeError('403 Forbidden')
        FakeWorkflows.create(mc.workflows, definition, scope=scope)
    mc.workflows.create = boom
    rep = bundled.sync(mc, scope='private')
    assert rep['errors'] == ['restore.yaml: 403 Forbidden']
    assert 'backup_dashboard_schedule' in rep['created']


def test_main_check_without_credentials(monkeypatch, capsys):
    for k in ('OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD'):
        monkeypatch.delenv(k, raising=False)
    assert bundled.main(['--check']) == 2
    assert 'OS_AUTH_URL' in capsys.readouterr().err
