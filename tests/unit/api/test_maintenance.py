"""api.maintenance: anchor states of a project's schedules, re-anchoring."""
import json
from unittest import mock

from backup_dashboard.api import maintenance
from backup_dashboard.api import mistral
from backup_dashboard import dst
from backup_dashboard import schedule as domain
from tests import data
from tests import helpers


def berlin(name, local='30 2 * * *'):
    return domain.Schedule(name=name, pattern=dst.shift(local, 60),
                           timezone='Europe/Berlin', local_pattern=local)


def anchored(schedule):
    made = dst.to_trigger(schedule)
    return data.trigger(schedule, pattern=made['pattern'],
                        workflow_params=json.dumps(made['workflow_params']))


class MaintenanceApiTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            mistral, cron_trigger_list=mock.DEFAULT,
            cron_trigger_get=mock.DEFAULT, cron_trigger_create=mock.DEFAULT,
            cron_trigger_delete=mock.DEFAULT, execution_list=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []

    def test_anchor_states_of_every_schedule_in_one_call(self):
        self.m['cron_trigger_list'].return_value = [
            data.trigger(berlin('old')),            # saved before DST support
            data.foreign_trigger(),
            anchored(berlin('Nightly')),
            data.trigger(domain.Schedule(name='utc', pattern='0 1 * * *')),
        ]
        states = maintenance.anchor_states(self.request)
        self.assertEqual(['Nightly', 'old', 'utc'],
                         [s.name for s, _ in states])
        self.assertEqual([dst.OK, dst.NEEDS_REANCHORING, dst.OK],
                         [a.state for _, a in states])
        self.assertIn('save it again', states[1][1].message)
        self.m['cron_trigger_list'].assert_called_once_with(
            self.request, workflow_name=domain.SCHEDULE_WORKFLOW)

    def test_reanchor_saves_it_again_anchored_as_the_user(self):
        old = data.trigger(berlin('nightly'))
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].side_effect = \
            lambda request, **kw: data.trigger(
                berlin('nightly'), pattern=kw['pattern'],
                workflow_params=json.dumps(kw['workflow_params']))
        schedule = maintenance.reanchor(self.request, 'nightly')
        self.m['cron_trigger_delete'].assert_called_once_with(self.request,
                                                              'nightly')
        sent = self.m['cron_trigger_create'].call_args[1]
        self.assertEqual('30 0,1 * * *', sent['pattern'])
        self.assertEqual(dst.build_plan('30 2 * * *', 'Europe/Berlin'),
                         sent['workflow_params'][dst.PARAM])
        self.assertEqual(self.request.user.id, sent['workflow_params'][
            'backup_dashboard_owner']['id'])
        self.assertEqual(berlin('nightly').workflow_input(),
                         sent['workflow_input'])
        self.assertEqual('nightly', schedule.name)

    def test_reanchor_of_an_anchored_schedule_keeps_its_union(self):
        # Its stored pattern is the union; it is validated as the plain one.
        self.m['cron_trigger_get'].return_value = anchored(berlin('nightly'))
        self.m['cron_trigger_create'].return_value = anchored(
            berlin('nightly'))
        maintenance.reanchor(self.request, 'nightly')
        self.assertEqual('30 0,1 * * *', self.m['cron_trigger_create']
                         .call_args[1]['pattern'])
