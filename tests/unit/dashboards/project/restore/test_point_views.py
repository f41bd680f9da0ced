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

"""The whole-point restore form and its progress page (api mocked)."""
import types

from django.urls import reverse
from horizon import exceptions
from novaclient.v2 import flavors as nova_flavors
from openstack_dashboard.api import neutron

from backup_dashboard import api
from backup_dashboard import points
from testkit import helpers
from tests.unit.dashboards.project.instances import data as idata
from tests.unit.dashboards.project.restore import data

URL = reverse('horizon:project:backup_restore:point',
              args=['srv-1', 'run-1'])
MOCKS = {
    api.storage: ['project_backups', 'project_volumes', 'volume_types',
                  'availability_zones', 'volume_room'],
    api.compute: ['server_get_own', 'flavors', 'networks', 'server_room'],
    api.restores: ['point_restore_start', 'restore_get', 'restore_tasks'],
}


def flavor(flavor_id, name, vcpus=1, ram=512):
    return nova_flavors.Flavor(nova_flavors.FlavorManager(None), {
        'id': flavor_id, 'name': name, 'vcpus': vcpus, 'ram': ram,
        'disk': 1})


def progress_url(execution_id='ex-p1'):
    return reverse('horizon:project:backup_restore:point_progress',
                   args=[execution_id])


class PointRestoreTests(helpers.TestCase):
    def _page(self, backups=None, server=True, room=None):
        self.mock_project_backups.return_value = backups or [
            data.point_backup('b-data', 'vol-1', 'run-1', '/dev/vdb',
                              volumes=3, size=2),
            data.point_backup('b-boot', 'vol-boot', 'run-1', '/dev/vda',
                              boot=True, volumes=3, size=1),
            data.point_backup('b-logs', 'vol-logs', 'run-1', '/dev/vdc',
                              volumes=3, size=3),
            data.point_backup('b-older', 'vol-1', 'run-0', '/dev/vdb')]
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data'), data.volume('vol-boot', 'root')]
        if server:
            self.mock_server_get_own.return_value = idata.server(
                'srv-1', 'web', volume_ids=['vol-boot', 'vol-1'])
        else:
            self.mock_server_get_own.side_effect = \
                exceptions.NotFound('gone')
        self.mock_flavors.return_value = [
            flavor('f1', 'm1.tiny'), flavor('f2', 'm1.small', 2, 2048)]
        self.mock_networks.return_value = [
            neutron.Network({'id': 'net-1', 'name': 'private'})]
        self.mock_volume_types.return_value = [
            types.SimpleNamespace(name='lvm')]
        self.mock_availability_zones.return_value = ['nova']
        self.mock_volume_room.return_value = (room or {}).get(
            'volume', {'volumes': 10, 'gigabytes': 100})
        self.mock_server_room.return_value = (room or {}).get(
            'server', {'instances': 5, 'cores': 10, 'ram': 10240})

    def _post(self, **values):
        form = {'target': 'new_server', 'server_name': 'web-restored',
                'flavor': 'f2', 'network': 'net-1',
                'name_0': 'root-restored', 'name_1': 'data-restored',
                'name_2': 'logs again', 'volume_type_1': 'lvm',
                'availability_zone_2': 'nova'}
        form.update(values)
        return self.client.post(URL, {k: v for k, v in form.items()
                                      if v is not None})

    @helpers.create_mocks(MOCKS)
    def test_the_form_shows_the_point_with_defaults_filled_in(self):
        self._page()
        res = self.client.get(URL)
        self.assertTemplateUsed(res, 'backup_dashboard/restore/point.html')
        form = res.context['form']
        self.assertEqual(
            {'target': 'new_server', 'server_name': 'web-restored',
             'flavor': 'f2', 'name_0': 'root-restored',
             'name_1': 'data-restored', 'name_2': 'vol-logs-restored'},
            form.initial)
        self.assertEqual(['new_server', 'instance'],
                         [c[0] for c in form.fields['target'].choices])
        self.assertEqual(['/dev/vda', '/dev/vdb', '/dev/vdc'],
                         [m.device for m, *_ in form.member_fields()])
        self.assertNotContains(res, 'b-older')
        # an instance may have several schedules: the one that took it
        self.assertContains(res, 'Made by schedule nightly.')
        ajax = self.client.get(URL, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertTemplateUsed(ajax, 'backup_dashboard/restore/_point.html')

    @helpers.create_mocks(MOCKS)
    def test_a_new_server_restore_sends_what_was_typed_in_device_order(self):
        self._page()
        self.mock_point_restore_start.return_value = types.SimpleNamespace(
            id='ex-p1')
        res = self._post()
        self.assertRedirectsNoFollow(res, progress_url())
        self.mock_point_restore_start.assert_called_once_with(
            helpers.IsHttpRequest(), [
                {'backup_id': 'b-boot', 'device': '/dev/vda', 'boot': True,
                 'name': 'root-restored', 'volume_type': None,
                 'availability_zone': None, 'size': 1},
                {'backup_id': 'b-data', 'device': '/dev/vdb', 'boot': False,
                 'name': 'data-restored', 'volume_type': 'lvm',
                 'availability_zone': None, 'size': 2},
                {'backup_id': 'b-logs', 'device': '/dev/vdc', 'boot': False,
                 'name': 'logs again', 'volume_type': None,
                 'availability_zone': 'nova', 'size': 3}],
            'new_server', server_id='srv-1', server_name='web-restored',
            flavor='f2', network_id='net-1')

    @helpers.create_mocks(MOCKS)
    def test_the_same_instance_gets_the_data_volumes_only(self):
        self._page()
        self.mock_point_restore_start.return_value = types.SimpleNamespace(
            id='ex-p1')
        res = self._post(target='instance', server_name='', flavor='')
        self.assertRedirectsNoFollow(res, progress_url())
        sent = self.mock_point_restore_start.call_args
        self.assertEqual(['b-data', 'b-logs'],
                         [m['backup_id'] for m in sent[0][1]])
        self.assertEqual('instance', sent[0][2])

    @helpers.create_mocks(MOCKS)
    def test_a_gone_instance_restores_as_a_new_server_only(self):
        self._page(server=False)
        res = self._post(target='instance')
        self.assertEqual(['new_server'], [
            c[0] for c in res.context['form'].fields['target'].choices])
        self.assertFormErrors(res, 1)
        self.mock_point_restore_start.assert_not_called()
        self.assertContains(self.client.get(URL), 'no longer exists')

    @helpers.create_mocks(MOCKS)
    def test_refusals_keep_what_was_typed_and_start_nothing(self):
        self._page()
        for values, words in [
                ({'name_1': ''}, 'Enter a name for the new volume'),
                ({'name_1': 'x' * 256}, '255'),
                ({'server_name': ''}, 'Enter a name for the new server'),
                ({'flavor': ''}, 'flavor')]:
            res = self._post(**values)
            self.assertEqual(200, res.status_code, values)
            self.assertContains(res, words)
            self.assertContains(res, 'logs again')
        self.mock_point_restore_start.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_the_quotas_must_hold_every_volume_and_the_server(self):
        self._page(room={'volume': {'volumes': 2, 'gigabytes': 5},
                         'server': {'instances': 1, 'cores': 1,
                                    'ram': None}})
        res = self._post()
        self.assertContains(res, 'nothing was created')
        self.assertContains(res, 'volumes: 2 left, this restore needs 3')
        self.assertContains(res, 'volume gigabytes: 5 GB left, this '
                                 'restore needs 6 GB')
        self.assertContains(res, 'VCPUs: 1 left, the flavor needs 2')
        self.mock_point_restore_start.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_an_incomplete_point_needs_consent(self):
        self._page(backups=[
            data.point_backup('b-boot', 'vol-boot', 'run-1', '/dev/vda',
                              boot=True, volumes=2),
            data.point_backup('b-data', 'vol-1', 'run-1', '/dev/vdb',
                              volumes=2, status='error')])
        self.mock_point_restore_start.return_value = types.SimpleNamespace(
            id='ex-p1')
        res = self._post(name_1=None, name_2=None)
        self.assertContains(res, 'This point is incomplete: 1 of the')
        self.mock_point_restore_start.assert_not_called()
        res = self._post(name_1=None, name_2=None, consent='on')
        self.assertRedirectsNoFollow(res, progress_url())
        self.assertEqual(['b-boot'], [
            m['backup_id']
            for m in self.mock_point_restore_start.call_args[0][1]])

    @helpers.create_mocks(MOCKS)
    def test_another_projects_or_unknown_point_is_not_found(self):
        self._page()
        url = reverse('horizon:project:backup_restore:point',
                      args=['srv-1', 'run-other'])
        res = self.client.get(url)
        self.assertRedirectsNoFollow(
            res, reverse('horizon:project:backup_restore:index') +
            '?server_id=srv-1')
        self.mock_point_restore_start.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_progress_shows_each_volume_as_the_workflow_last_said(self):
        members = [{'backup_id': 'b-boot', 'device': '/dev/vda',
                    'boot': True, 'name': 'root-restored'},
                   {'backup_id': 'b-data', 'device': '/dev/vdb',
                    'boot': False, 'name': 'data-restored'}]
        self.mock_restore_get.return_value = data.execution(
            'RUNNING', exec_id='ex-p1', workflow=points.RESTORE_WORKFLOW,
            inputs={'members': members, 'target': 'new_server',
                    'server_name': 'web-restored'})
        self.mock_restore_tasks.return_value = [data.task(
            'create_volumes', published={'volumes': [
                {'backup_id': 'b-boot', 'volume': 'v-new', 'device':
                 '/dev/vda', 'status': 'available'}]})]
        res = self.client.get(progress_url())
        self.mock_restore_get.assert_called_once_with(
            helpers.IsHttpRequest(), 'ex-p1',
            workflow=points.RESTORE_WORKFLOW)
        self.assertEqual(
            [('b-boot', 'v-new', 'available'), ('b-data', None, 'waiting')],
            [(r['backup_id'], r['volume'], str(r['status']))
             for r in res.context['rows']])
        self.assertContains(res, 'Restoring')
        self.mock_restore_get.return_value = data.execution(
            'ERROR', exec_id='ex-p1', workflow=points.RESTORE_WORKFLOW,
            inputs={'members': members, 'target': 'new_server'},
            output={'error': 'the server went to ERROR: <no host>',
                    'volumes': []})
        res = self.client.get(progress_url())
        self.assertContains(res, 'The restore failed: the server went to '
                                 'ERROR: &lt;no host&gt;')
