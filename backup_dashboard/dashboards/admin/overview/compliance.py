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

"""What an auditor asks of every project: the compliance findings.

Read from the Overview ``coverage.build`` already made and the parts
``api.overview.collect`` fetched for it (no further backend call):

* **unprotected**: instances with volumes to back up and no schedule
  (``coverage``'s 'unprotected' state; volumes opted out do not count);
* **rpo_breach**: schedules with instances past their RPO (``coverage``'s
  'breach' state, which ``backup_dashboard.rpo`` judges), one finding per
  schedule;
* **drills**: projects that drill (a schedule with drills on, or a drill in
  the history read) but have no drill that passed in
  ``drills.STALE_AFTER`` (``drills.Standing.stale``);
* **held**: every backup under a legal hold (``holds.hold_of``);
* **outside_bounds**: schedules outside their project's bounds (its own,
  else the cloud default: ``guardrails.bounds_refusals``) as the admins set
  them now, read from the governance variables (``parts['governance']``).
  The GB per run bound is judged by the schedule form only (it needs the
  volumes' sizes per schedule).

A category whose essential list could not be fetched is *unknown* (no
finding is made up from missing data: without the schedules every instance
would look unprotected); one that lacks a secondary list is *partial*.
"""
import dataclasses
import datetime

from django.utils.translation import gettext_lazy as _

from backup_dashboard.api import storage
from backup_dashboard.clock import cron as clock
from backup_dashboard.dashboards.admin.overview import coverage
from backup_dashboard import guardrails
from backup_dashboard import holds

UNPROTECTED, RPO_BREACH, DRILLS, HELD = ('unprotected', 'rpo_breach',
                                         'drills', 'held')
OUTSIDE_BOUNDS = 'outside_bounds'
LABELS = {
    UNPROTECTED: _("Instances with volumes and no schedule"),
    RPO_BREACH: _("Schedules past their RPO"),
    DRILLS: _("Projects without a good drill in 30 days"),
    HELD: _("Backups on legal hold"),
    OUTSIDE_BOUNDS: _("Schedules outside their project's bounds"),
}
# Per category: the parts without which it cannot be judged, and those
# without which it is judged on less than everything.
NEEDS = {
    UNPROTECTED: (('servers', 'triggers'), ('projects', 'volumes')),
    RPO_BREACH: (('servers', 'triggers', 'backups'),
                 ('projects', 'volumes', 'runs')),
    DRILLS: (('drills',), ('projects', 'triggers', 'drill_triggers')),
    HELD: (('backups',), ('projects', 'volumes')),
    OUTSIDE_BOUNDS: (('triggers', 'governance'), ('projects',)),
}
ORDER = (UNPROTECTED, RPO_BREACH, DRILLS, HELD, OUTSIDE_BOUNDS)
COMPLETE, PARTIAL, UNKNOWN = 'complete', 'partial', 'unknown'


@dataclasses.dataclass
class Finding:
    """One thing an auditor would flag, in one project.

    ``at``: the time that matters for its category (held: when the hold
    was placed; rpo_breach: the oldest newest backup of its instances;
    drills: the last drill that passed; None: none, or unprotected).
    ``facts``: the category's own values, for the page and the exports.
    """
    category: str
    project_id: str
    project_name: str
    subject_type: str          # instance, schedule, project, backup
    subject_id: str
    subject_name: str
    at: datetime.datetime = None
    facts: dict = dataclasses.field(default_factory=dict)

    @property
    def id(self):
        return '%s:%s' % (self.category, self.subject_id)

    @property
    def label(self):
        return LABELS[self.category]


@dataclasses.dataclass
class Category:
    code: str
    count: int = None          # None: unknown
    missing: tuple = ()        # the parts that could not be listed

    @property
    def label(self):
        return LABELS[self.code]

    @property
    def state(self):
        if self.count is None:
            return UNKNOWN
        return PARTIAL if self.missing else COMPLETE


@dataclasses.dataclass
class Report:
    findings: list
    categories: list
    now: datetime.datetime

    @property
    def partial(self):
        return any(c.state != COMPLETE for c in self.categories)

    def count(self, code):
        return next(c.count for c in self.categories if c.code == code)


def unprotected(overview):
    """Instances with volumes to back up that no schedule covers."""
    return [Finding(UNPROTECTED, i.project_id, i.project_name, 'instance',
                    i.id, i.name, facts={'volumes': i.volumes,
                                         'status': i.status})
            for i in overview.instances
            if i.state == 'unprotected' and i.volumes]


def rpo_breaches(overview):
    """A finding per schedule with an instance past its RPO.

    An instance under several schedules counts for each of them.
    """
    schedules = {(s.project_id, s.name): s for s in overview.schedules}
    late = {}
    for instance in overview.instances:
        if instance.state != 'breach':
            continue
        for name in instance.schedules:
            row = schedules.get((instance.project_id, name))
            if row is not None:
                late.setdefault(row.id, (row, []))[1].append(instance)
    found = []
    for row, instances in late.values():
        newest = [i.newest_backup for i in instances]
        found.append(Finding(
            RPO_BREACH, row.project_id, row.project_name, 'schedule', row.id,
            row.name,
            at=None if None in newest else min(newest),
            facts={'rpo': row.rpo, 'last_run': row.last_run_at,
                   'instances': [
                       {'id': i.id, 'name': i.name,
                        'newest_backup': i.newest_backup, 'age': i.age}
                       for i in instances]}))
    return found


def stale_drills(overview):
    """Projects that drill, without a drill that passed in 30 days."""
    drilled = {}
    for row in overview.schedules:
        settings = row.schedule.drill
        if settings is not None and settings.on:
            drilled.setdefault(row.project_id, []).append(row.name)
    found = []
    for project in overview.projects:
        standing = project.drills
        if standing is None:
            continue
        names = sorted(drilled.get(project.id, []))
        if not (names or standing.last is not None) or not standing.stale:
            continue
        found.append(Finding(
            DRILLS, project.id, project.name, 'project', project.id,
            project.name,
            at=standing.last_good.started if standing.last_good else None,
            facts={'drill_schedules': names,
                   'last_drill': standing.last.started
                   if standing.last else None,
                   'last_outcome': standing.last.outcome
                   if standing.last else None}))
    return found


def held_backups(parts, project_names):
    """Every backup under a legal hold, whatever its project.

    Only the hold's own values are read from the metadata: nothing else a
    backup's metadata holds reaches the page or the exports.
    """
    volume_projects, volume_names = {}, {}
    for volume in parts.get('volumes') or []:
        raw = getattr(volume, '_apiresource', volume)
        volume_projects[raw.id] = getattr(raw, storage.VOLUME_PROJECT_ATTR,
                                          None)
        volume_names[raw.id] = getattr(raw, 'name', None)
    found = []
    for backup in parts.get('backups') or []:
        hold = holds.hold_of(storage.backup_metadata(backup))
        if hold is None:
            continue
        raw = getattr(backup, '_apiresource', backup)
        volume_id = getattr(raw, 'volume_id', None)
        project_id = coverage.backup_project(raw, volume_projects)
        found.append(Finding(
            HELD, project_id, project_names.get(project_id, project_id or '-'),
            'backup', raw.id, getattr(raw, 'name', None) or raw.id,
            at=clock.parse(hold.at),
            facts={'volume_id': volume_id,
                   'volume': volume_names.get(volume_id),
                   'reason': hold.reason, 'by': hold.by,
                   'status': getattr(raw, 'status', None),
                   'created': clock.parse(getattr(raw, 'created_at', None))}))
    return found


def outside_bounds(overview, variables):
    """A finding per schedule outside its project's bounds, saying how."""
    found = []
    for row in overview.schedules:
        why = guardrails.bounds_refusals(
            row.schedule, guardrails.bounds_for(variables, row.project_id))
        if why:
            found.append(Finding(
                OUTSIDE_BOUNDS, row.project_id, row.project_name, 'schedule',
                row.id, row.name, facts={'bounds': [str(w) for w in why]}))
    return found


def _category(code, parts, findings):
    essential, secondary = NEEDS[code]
    missing = tuple(p for p in essential + secondary if parts.get(p) is None)
    if any(p in missing for p in essential):
        return Category(code, None, missing), []
    return Category(code, len(findings), missing), findings


def _order(finding):
    return (ORDER.index(finding.category), (finding.project_name or '')
            .lower(), (finding.subject_name or '').lower(), finding.subject_id)


def build(overview, parts):
    """The Report of an Overview and the parts it was built from."""
    names = {p.id: p.name for p in overview.projects}
    judged = {
        UNPROTECTED: unprotected(overview),
        RPO_BREACH: rpo_breaches(overview),
        DRILLS: stale_drills(overview),
        HELD: held_backups(parts, names),
        OUTSIDE_BOUNDS: outside_bounds(overview, parts.get('governance')),
    }
    categories, findings = [], []
    for code in ORDER:
        category, kept = _category(code, parts, judged[code])
        categories.append(category)
        findings.extend(kept)
    return Report(findings=sorted(findings, key=_order),
                  categories=categories, now=overview.now)


def narrowed(report, category=None, project_id=None, keep=None):
    """The Report of one category, or one project, or both.

    Or of the findings `keep` (a predicate: the page's filter) keeps. Its
    counts are those of the findings kept; an unknown category stays unknown.
    """
    def kept(finding):
        return ((not category or finding.category == category) and
                (not project_id or finding.project_id == project_id) and
                (keep is None or keep(finding)))
    findings = [f for f in report.findings if kept(f)]
    categories = [
        dataclasses.replace(c, count=None if c.count is None else sum(
            1 for f in findings if f.category == c.code))
        for c in report.categories if not category or c.code == category]
    return dataclasses.replace(report, findings=findings,
                               categories=categories)
