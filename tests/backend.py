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

"""A small project's worth of services behind the plugin's api layer.

For tests that walk many pages at once (tests/unit/test_ajax.py,
tests/unit/test_round_trip.py): Mistral is replaced at its client, so that
``api.errors.translate_errors`` runs on what mistralclient raises; Cinder
and Nova at the plugin's own ``api.storage`` / ``api.compute`` reads, which
raise cinderclient's and novaclient's NotFound with the services' own texts
for an id they do not hold. Every call that would change something is a
mock that records and returns nothing, for tests to assert on.

One schedule ``nightly`` (trigger ``trig-nightly``), one run of it
``ex-1``, one restore ``ex-r1``, instance ``srv-1`` with volume ``vol-1``
and that volume's backup history (``b-full-2`` the newest available).
"""
from unittest import mock

from cinderclient import exceptions as cinder_exceptions
from mistralclient.api import base as mistral_base
from novaclient import exceptions as nova_exceptions
from openstack_dashboard.api import keystone

from backup_dashboard import api
from backup_dashboard.api import storage
from backup_dashboard import schedule as domain
from testkit import data
from tests.unit.dashboards.project.instances import data as idata
from tests.unit.dashboards.project.restore import data as rdata

# The ids that exist, by URL group name (tests/plugin_urls.py fills each
# group of a URL from one of these).
EXISTING = {'name': 'nightly', 'execution_id': 'ex-1',
            'backup_id': 'b-full-2', 'instance_id': 'srv-1',
            'server_id': 'srv-1', 'run_id': 'run-1',
            'project_id': data.PROJECT}
WRITES = {
    api.mistral: ('cron_trigger_create', 'cron_trigger_delete',
                  'execution_create', 'execution_update',
                  'execution_delete'),
    api.compute: ('server_add_tag', 'server_delete_tag'),
    api.storage: ('volume_set_skip', 'backup_delete', 'backup_set_metadata'),
}


class _Manager(object):
    """One mistralclient manager: get by id (or name), list by workflow."""

    def __init__(self, items, missing, key='id'):
        self.items, self.missing, self.key = items, missing, key

    def get(self, ident, *args, **kwargs):
        for item in self.items:
            if ident in (item.id, getattr(item, self.key)):
                return item
        raise mistral_base.APIException(404, self.missing % ident)

    def list(self, *args, **filters):
        wanted = filters.get('workflow_name')
        return [i for i in self.items
                if wanted in (None, getattr(i, 'workflow_name', None))]


class Backend(object):
    def __init__(self, test):
        self.trigger = data.trigger(data.nightly())
        self.server = idata.server('srv-1', 'web', tags=['backup:nightly'],
                                   volume_ids=['vol-1'])
        self.volume = rdata.volume('vol-1', 'data', size=2, status='in-use',
                                   server_id='srv-1')
        self.spare = rdata.volume('vol-spare', 'spare', size=5)
        self.backups = {b.id: b for b in rdata.history()}
        # srv-1's restore point of run run-1 (of a volume since deleted)
        self.backups['pb-1'] = rdata.point_backup(
            'pb-1', 'vol-p', 'run-1', '/dev/vda', boot=True, volumes=1,
            created_at='2026-11-19T01:00:05.000000')
        client = mock.Mock()
        client.cron_triggers = _Manager(
            [self.trigger], 'Cron trigger not found [identifier=%s]',
            key='name')
        client.executions = _Manager(
            [data.execution(self.trigger.id, exec_id='ex-1'),
             rdata.execution('SUCCESS', exec_id='ex-r1')],
            'WorkflowExecution not found [id=%s]')
        client.tasks.list.return_value = []
        self.mistral = client
        self.mocks = {}
        self._patch(test, api.mistral, 'mistralclient', return_value=client)
        self._patch(test, api.mistral, 'workflow_problems', return_value=[])
        for module, names in WRITES.items():
            for name in names:
                self._patch(test, module, name)
        self._patch(test, api.compute, 'server_get',
                    side_effect=self._server_get)
        self._patch(test, api.compute, 'servers_with_any_tag',
                    return_value=[self.server])
        self._patch(test, api.compute, 'project_servers',
                    return_value=[self.server])
        self._patch(test, api.storage, 'volume_get',
                    side_effect=self._volume_get)
        self._patch(test, storage, '_backup_get',
                    side_effect=self._backup_get)
        self._patch(test, api.storage, 'backup_history_page',
                    side_effect=self._history)
        self._patch(test, api.storage, 'project_volumes',
                    return_value=[self.volume, self.spare])
        self._patch(test, api.storage, 'project_backups',
                    return_value=sorted(self.backups.values(),
                                        key=lambda b: b.created_at,
                                        reverse=True))
        self._patch(test, api.storage, 'volume_backups', return_value=[])
        self._patch(test, api.compute, 'flavors', return_value=[])
        self._patch(test, api.compute, 'networks', return_value=[])
        self._patch(test, api.compute, 'server_room', return_value={
            'instances': 10, 'cores': 20, 'ram': 51200})
        self._patch(test, api.storage, 'volume_types', return_value=[])
        self._patch(test, api.storage, 'availability_zones',
                    return_value=['nova'])
        self._patch(test, api.storage, 'volume_room',
                    return_value={'volumes': 10, 'gigabytes': 100})
        self._patch(test, api.storage, 'backup_limits', return_value={
            'max_backups': 100, 'used_backups': 0, 'max_gigabytes': 1000,
            'used_gigabytes': 0})
        # a schedule's health reads its owner's role assignments
        self._patch(test, keystone, 'role_assignments_list', return_value=[])

    def _patch(self, test, module, name, **kwargs):
        patcher = mock.patch.object(module, name, **kwargs)
        self.mocks[name] = patcher.start()
        test.addCleanup(patcher.stop)

    def add_schedule(self, name):
        self.mistral.cron_triggers.items.append(data.trigger(
            domain.Schedule(name=name, pattern='0 2 * * *')))

    def writes(self):
        """The calls that would have changed something, by name."""
        return {name: self.mocks[name].call_args_list
                for names in WRITES.values() for name in names
                if self.mocks[name].called}

    # -- reads: what the services hold, and their words for what they do not

    def _server_get(self, request, server_id):
        if server_id == self.server.id:
            return self.server
        raise nova_exceptions.NotFound(
            404, 'Instance %s could not be found.' % server_id)

    def _volume_get(self, request, volume_id):
        for volume in (self.volume, self.spare):
            if volume.id == volume_id:
                return volume
        raise cinder_exceptions.NotFound(
            404, 'Volume %s could not be found.' % volume_id)

    def _backup_get(self, request, backup_id):
        if backup_id in self.backups:
            return self.backups[backup_id]
        raise cinder_exceptions.NotFound(
            404, 'Backup %s could not be found.' % backup_id)

    def _history(self, request, volume_id, limit, marker=None):
        found = sorted((b for b in self.backups.values()
                        if b.volume_id == volume_id),
                       key=lambda b: b.created_at, reverse=True)
        if marker in self.backups:
            found = found[[b.id for b in found].index(marker) + 1:]
        return found[:limit]
