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

"""The "Backup" indicator: from the server object only."""
from backup_dashboard.dashboards.project.instances import extend
from backup_dashboard.dashboards.project.instances import status
from tests.unit.dashboards.project.instances import data


def test_not_protected_without_backup_tags():
    state = status.backup_state(data.server(tags=['team:web', 'backup:']))
    assert state.state == status.UNPROTECTED
    assert state.schedules == []


def test_protected_with_a_backup_tag():
    state = status.backup_state(data.server(
        tags=['backup:nightly', 'x'],
        metadata={'backup_dashboard:last_status': 'ok',
                  'backup_dashboard:last_backup': '2026-11-21T01:00:00Z'}))
    assert state.state == status.PROTECTED
    assert state.schedules == ['nightly']
    assert state.last_backup == '2026-11-21T01:00:00Z'


def test_last_run_failed_or_partial():
    for value in ('failed', 'partial'):
        state = status.backup_state(data.server(
            tags=['backup:nightly'],
            metadata={'backup_dashboard:last_status': value}))
        assert state.state == status.FAILED


def test_failed_metadata_without_tag_is_not_protected():
    state = status.backup_state(data.server(
        metadata={'backup_dashboard:last_status': 'failed'}))
    assert state.state == status.UNPROTECTED


def test_unknown_when_tags_were_not_returned():
    state = status.backup_state(data.server(with_tags=False))
    assert state.state == status.UNKNOWN
    assert extend.render_backup_state(data.server(with_tags=False)) == '-'


def test_rendering_is_escaped_and_labelled():
    html = extend.render_backup_state(data.server(
        tags=['backup:<b>x</b>'],
        metadata={'backup_dashboard:last_status': 'failed'}))
    assert 'Last run failed' in html
    assert 'label-danger' in html
    assert '<b>' not in html
    assert '&lt;b&gt;x&lt;/b&gt;' in html
    assert 'Not protected' in extend.render_backup_state(data.server())
    assert 'Protected' in extend.render_backup_state(
        data.server(tags=['backup:n']))
