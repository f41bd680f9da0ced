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

"""Generated schedule histories (hypothesis strategies) with their truth.

A history is one schedule (a pattern read in a zone, created at some time in
the last 8 days, the overview's run window) and what happened to each of its
due runs: run on time, two seconds early, late within the tolerance, late
beyond it, or not at all (some while Mistral is down); besides those, fires
its time zone guard ended as not due and a few "Run now" runs. An estate
adds instances tagged for the schedule at times Nova does not keep (some a
second before or after a run), their volumes attached at times Cinder does
keep, and the backups each run made of the volumes it found. Tests judge
what the dashboard says against what the model knows happened.
"""
import dataclasses
import datetime
import json

from cinderclient.v3 import volume_backups
from cinderclient.v3 import volumes as cinder_volumes
from hypothesis import strategies as st
from mistralclient.api.v2 import executions
from novaclient.v2 import servers as nova_servers

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import health
from backup_dashboard import schedule as domain
from testkit import data

UTC = datetime.timezone.utc
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
WINDOW = datetime.timedelta(days=8)         # api.overview.RUN_WINDOW
# Each just after a clock change in one of ZONES.
NOWS = (datetime.datetime(2026, 11, 22, 12, 0, tzinfo=UTC),
        datetime.datetime(2026, 11, 2, 9, 17, tzinfo=UTC),
        datetime.datetime(2027, 3, 29, 6, 31, tzinfo=UTC),
        datetime.datetime(2026, 10, 5, 3, 0, tzinfo=UTC))
ZONES = ('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata',
         'Australia/Lord_Howe')
PATTERNS = ('15 * * * *', '30 2 * * *', '0 */6 * * *', '0 9-17 * * 1-5',
            '30 19 * * 1', '45 23 * * *', '0 1 * * *')
# What became of a due run.
ON_TIME, EARLY, LATE, VERY_LATE, MISSING = (
    'on time', 'early', 'late', 'very late', 'missing')
FATES = (ON_TIME, ON_TIME, ON_TIME, EARLY, LATE, VERY_LATE, MISSING)
BACKUP_MINUTES = 10          # a run's backups are available within this


def mistral_time(moment):
    return moment.strftime('%Y-%m-%d %H:%M:%S')


@dataclasses.dataclass
class Run:
    started: datetime.datetime
    cron: bool = True
    due: bool = True             # False: a fire the guard ended
    fire: datetime.datetime = None
    minutes: int = 0             # until its backups are available
    volumes: tuple = ()          # the volumes it found tagged

    def done(self, now):
        return self.started + self.minutes * MINUTE <= now


@dataclasses.dataclass
class History:
    now: datetime.datetime
    schedule: domain.Schedule
    due: list                    # every due run in (created, now]
    fates: dict                  # due run -> fate
    runs: list                   # Run

    @property
    def created(self):
        return clock.parse(self.schedule.created_at)

    @property
    def tolerance(self):
        return health.tolerance(self.schedule)

    def missed(self, start, end):
        """The due runs in (start, end] with no cron run near them."""
        return [f for f in self.due if start < f <= end and
                self.fates[f] in (VERY_LATE, MISSING)]

    def due_in(self, start, end):
        return [f for f in self.due if start < f <= end]

    def real_runs(self):
        return [r for r in self.runs if r.due and r.started <= self.now]

    def facts(self):
        """The runs as health.Run, as the project pages read them."""
        return [health.Run(r.started, self._outcome(r), r.cron)
                for r in self.runs if r.started <= self.now]

    def _outcome(self, run):
        if not run.due:
            return plans.NOT_DUE
        return 'ok' if run.done(self.now) else 'running'

    def execution(self, run, index):
        done = run.done(self.now)
        output = {'status': self._outcome(run) if done or not run.due
                  else None,
                  'counts': {'ok': len(run.volumes)} if run.due else {},
                  'volumes': [{'volume': v, 'status': 'ok'}
                              for v in run.volumes] if run.due else [],
                  'error': None}
        if run.due and not run.volumes:
            output['status'] = 'empty'
        return executions.Execution(executions.ExecutionManager(None), {
            'id': 'run-%d' % index,
            'workflow_name': domain.SCHEDULE_WORKFLOW,
            'state': 'SUCCESS' if done or not run.due else 'RUNNING',
            'state_info': None, 'project_id': data.PROJECT,
            'created_at': mistral_time(run.started),
            'updated_at': mistral_time(run.started),
            'description': json.dumps({'triggered_by': {
                'type': 'cron_trigger' if run.cron else 'backup_dashboard',
                'id': self.schedule.id}}),
            'output': json.dumps(output) if done or not run.due else '{}',
            'input': '{}', 'params': '{}'})

    def trigger(self):
        """The cron trigger, with the next fire Mistral lists."""
        after = clock.fires(self.schedule.pattern, self.now,
                            self.now + datetime.timedelta(days=8))
        return data.trigger(self.schedule, trigger_id=self.schedule.id,
                            created_at=self.schedule.created_at,
                            next_execution_time=mistral_time(after[0]))


@st.composite
def histories(draw):
    now = draw(st.sampled_from(NOWS))
    zone = draw(st.sampled_from(ZONES))
    local = draw(st.sampled_from(PATTERNS))
    created = now - draw(st.integers(0, WINDOW.days - 1)) * DAY - \
        draw(st.integers(0, 24 * 60 - 1)) * MINUTE - \
        draw(st.integers(0, 59)) * datetime.timedelta(seconds=1)
    schedule = domain.validate_timing(domain.Schedule(
        name='nightly', timezone=zone, local_pattern=local), at=created)
    schedule.created_at = mistral_time(created)
    schedule.id = 'trig-nightly'
    due = schedule.runs_between(created, now)
    fates = dict(zip(due, draw(st.lists(st.sampled_from(FATES),
                                        min_size=len(due),
                                        max_size=len(due)))))
    # Mistral down for a while: every run due then is missed.
    outage = draw(st.sampled_from((None, 'until now', 'a while')))
    if outage:
        down = now - draw(st.integers(0, int(WINDOW / MINUTE))) * MINUTE
        up = now if outage == 'until now' else \
            down + draw(st.integers(0, 3 * 24 * 60)) * MINUTE
        fates.update((f, MISSING) for f in due if down <= f <= up)
    tol = health.tolerance(schedule)
    runs = []
    after = schedule.next_runs(1, at=now)
    for fire, following in zip(due, due[1:] + after):
        fate = fates[fire]
        # Never so late that it is near the next fire: it would be that
        # one's (a clock change of half an hour makes a gap of 30 min).
        gap = (following - fire - 2 * tol) / MINUTE
        very_late = min(120, int(gap) - 1)
        if fate == VERY_LATE and very_late < 1:
            fate = fates[fire] = MISSING
        if fate == MISSING:
            continue
        if fate == ON_TIME:
            late = draw(st.integers(0, 5)) * datetime.timedelta(seconds=1)
        elif fate == EARLY:
            late = datetime.timedelta(seconds=-2)
        elif fate == LATE:
            late = draw(st.integers(1, int(tol / MINUTE) - 1)) * MINUTE
        else:
            late = tol + draw(st.integers(1, very_late)) * MINUTE
        runs.append(Run(fire + late, fire=fire,
                        minutes=draw(st.integers(0, BACKUP_MINUTES))))
    # Fires of the trigger's UTC pattern its guard ends as not due.
    for fire in clock.fires(schedule.pattern, created, now):
        if fire not in fates and draw(st.booleans()):
            runs.append(Run(fire + datetime.timedelta(seconds=1), due=False,
                            fire=fire))
    for offset in draw(st.lists(st.integers(1, int(WINDOW / MINUTE)),
                                max_size=2)):
        if now - offset * MINUTE > created:
            runs.append(Run(now - offset * MINUTE, cron=False,
                            minutes=draw(st.integers(0, BACKUP_MINUTES))))
    runs = [r for r in runs if r.started <= now]
    runs.sort(key=lambda r: r.started)
    return History(now, schedule, due, fates, runs)


# --- instances and volumes ------------------------------------------------

@dataclasses.dataclass
class Volume:
    id: str
    attached: datetime.datetime
    old_backup: datetime.datetime = None    # made before, anywhere


@dataclasses.dataclass
class Instance:
    id: str
    created: datetime.datetime
    tagged: datetime.datetime
    volumes: list

    def covered(self, volume, schedule):
        """When the volume really came under the schedule."""
        return max(volume.attached, self.tagged,
                   clock.parse(schedule.created_at))

    def known(self, volume, schedule):
        """The same, without the tag time Nova does not keep."""
        return max(volume.attached, self.created,
                   clock.parse(schedule.created_at))


@st.composite
def moment(draw, start, history):
    """A time in [start, now].

    Right at `start`, a while after it, or a second before or after one of the
    schedule's due runs.
    """
    now = history.now
    kind = draw(st.sampled_from(('start', 'after', 'near a run')))
    near = [f for f in history.due if start + SECOND < f <= now - SECOND]
    if kind == 'near a run' and near:
        return draw(st.sampled_from(near)) + draw(
            st.sampled_from((-SECOND, SECOND)))
    if kind == 'after':
        return now - draw(st.integers(
            0, max(0, int((now - start) / MINUTE)))) * MINUTE
    return start


@st.composite
def instances(draw, history):
    now, found = history.now, []
    for i in range(draw(st.integers(1, 3))):
        created = now - draw(st.integers(0, 9)) * DAY - \
            draw(st.integers(1, 24 * 60)) * MINUTE
        volumes = [Volume('vol-%d-0' % i, created + 2 * SECOND)]
        for j in range(draw(st.integers(0, 1))):
            volumes.append(Volume('vol-%d-%d' % (i, j + 1),
                                  draw(moment(created, history))))
        for volume in volumes:
            if draw(st.integers(0, 3)) == 0:
                volume.old_backup = now - draw(
                    st.integers(0, 10 * 24 * 60)) * MINUTE
        found.append(Instance('srv-%d' % i, created,
                              draw(moment(created, history)), volumes))
    return found


@dataclasses.dataclass
class Estate:
    history: History
    instances: list

    def __post_init__(self):
        # What each run found: the volumes attached and tagged by then.
        for run in self.history.runs:
            if run.due:
                run.volumes = tuple(
                    v.id for i in self.instances for v in i.volumes
                    if i.tagged <= run.started and v.attached <= run.started)

    def backups(self, volume):
        """(created, status) of the volume's backups."""
        found = [(r.started + datetime.timedelta(seconds=5),
                  'available' if r.done(self.history.now) else 'creating')
                 for r in self.history.runs if r.due and volume.id in
                 r.volumes]
        if volume.old_backup:
            found.append((volume.old_backup, 'available'))
        return found

    def newest(self, volume):
        return max((t for t, status in self.backups(volume)
                    if status == 'available'), default=None)

    def parts(self):
        """What api.overview.collect would return."""
        h, now = self.history, self.history.now
        servers, volumes, backups = [], [], []
        for inst in self.instances:
            servers.append(nova_servers.Server(
                nova_servers.ServerManager(None), {
                    'id': inst.id, 'name': inst.id, 'status': 'ACTIVE',
                    'tenant_id': data.PROJECT,
                    'created': inst.created.strftime('%Y-%m-%dT%H:%M:%SZ'),
                    'tags': [h.schedule.tag] if inst.tagged <= now else [],
                    'os-extended-volumes:volumes_attached': [
                        {'id': v.id} for v in inst.volumes]}))
            for v in inst.volumes:
                volumes.append(cinder_volumes.Volume(
                    cinder_volumes.VolumeManager(None), {
                        'id': v.id, 'size': 1, 'status': 'in-use',
                        'os-vol-tenant-attr:tenant_id': data.PROJECT,
                        'metadata': {},
                        'attachments': [{
                            'id': v.id, 'volume_id': v.id,
                            'server_id': inst.id,
                            'attached_at': v.attached.strftime(
                                '%Y-%m-%dT%H:%M:%S.%f')}]}))
                for n, (created, status) in enumerate(self.backups(v)):
                    backups.append(volume_backups.VolumeBackup(
                        volume_backups.VolumeBackupManager(None), {
                            'id': '%s-b%d' % (v.id, n), 'volume_id': v.id,
                            'status': status, 'size': 1,
                            'created_at': created.strftime(
                                '%Y-%m-%dT%H:%M:%S.%f'),
                            'os-backup-project-attr:project_id':
                                data.PROJECT}))
        return {
            'projects': [Project(data.PROJECT, 'demo')],
            'users': None, 'assignments': None,
            'servers': servers, 'volumes': volumes, 'backups': backups,
            'triggers': [h.trigger()],
            'runs': [h.execution(r, n) for n, r in
                     reversed(list(enumerate(h.runs)))],
            'workbook_problems': [], 'since': now - WINDOW, 'now': now}


@dataclasses.dataclass
class Project:
    id: str
    name: str


@st.composite
def estates(draw):
    history = draw(histories())
    return Estate(history, draw(instances(history)))
