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

"""The overview as CSV, safe to open in a spreadsheet; compliance as JSON.

One file per project, one per schedule, one of the compliance findings
(also as JSON, for tools).

Every time is ISO 8601 with its offset (``clock.cron.iso``, in UTC), and
each row carries the time the report was generated. Project and schedule
names are user-controlled: a cell starting with ``= + - @`` (or a tab or
carriage return) would be run as a formula by Excel or LibreOffice, so such
cells are prefixed with a quote (OWASP's advice for CSV injection).
"""
import csv
import datetime
import io
import json

from backup_dashboard.clock import cron as clock

# New columns go at the end: spreadsheets built on the report keep theirs.
# Drills: the last good drill, its restore times (seconds) and what is
# wrong ('failing', 'stale' or empty; 'unknown' when not listed).
DRILL_HEADER = ('last_good_drill', 'drill_rto_median_s', 'drill_rto_worst_s',
                'drill_problem')
HEADER = ('project', 'project_id', 'instances', 'assigned', 'unprotected',
          'coverage_percent', 'rpo_breaches', 'schedules',
          'unhealthy_schedules', 'failed_runs_8_days', 'backups_used',
          'backups_quota', 'backup_gb_used', 'backup_gb_quota',
          'generated_at') + DRILL_HEADER
SCHEDULE_HEADER = ('project', 'project_id', 'schedule', 'schedule_id',
                   'owner', 'cron', 'timezone', 'trigger_pattern_utc',
                   'instances', 'health', 'next_run', 'last_run',
                   'last_outcome', 'rpo_hours', 'generated_at') + DRILL_HEADER
# One row per finding; `at` is its category's time (held: the hold;
# rpo_breach: the oldest newest backup of its instances; drills: the last
# good drill); `data`: complete, partial (judged without some list) or
# unknown (a single row: the category could not be judged); `bounds`: how
# an outside_bounds schedule crosses its project's bounds (new columns at
# the end).
COMPLIANCE_HEADER = ('category', 'project', 'project_id', 'subject_type',
                     'subject', 'subject_id', 'at', 'volume', 'volume_id',
                     'hold_reason', 'hold_by', 'backup_status',
                     'attached_volumes', 'rpo_hours', 'instances',
                     'drill_schedules', 'last_drill_outcome', 'data',
                     'generated_at', 'bounds')
_FORMULA_START = ('=', '+', '-', '@', '\t', '\r')


def safe_cell(value):
    if value is None:
        return ''
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _quota(project, key, index):
    quota = project.quota or {}
    pair = quota.get(key)
    if not pair:
        return None
    value = pair[index]
    return 'unlimited' if value == -1 else value


def rows(projects, generated_at):
    for p in projects:
        used_backups = _quota(p, 'backups', 0)
        used_gb = _quota(p, 'gigabytes', 0)
        yield (p.name, p.id, p.instances, p.assigned, p.unprotected,
               p.coverage, p.breaches, p.schedules, p.unhealthy,
               p.failed_runs,
               p.backups if used_backups is None else used_backups,
               _quota(p, 'backups', 1),
               p.backup_gb if used_gb is None else used_gb,
               _quota(p, 'gigabytes', 1), clock.iso(generated_at)) + \
            _drill_cells(p.drills)


def schedule_rows(schedules, generated_at):
    """A schedule's health codes and its next and last runs.

    Health as its codes ("missed failing"; "ok", or "new" for one with no run
    due yet); the next and last runs' instants.
    """
    for s in schedules:
        yield (s.project_name, s.project_id, s.name, s.id, s.owner_name,
               s.schedule.local_pattern, s.schedule.timezone,
               s.schedule.pattern, s.instances,
               ' '.join(s.health.codes) or s.health.code,
               clock.iso(s.next_run), clock.iso(s.last_run_at),
               s.last_outcome,
               round(s.rpo.total_seconds() / 3600, 2) if s.rpo else None,
               clock.iso(generated_at)) + _drill_cells(s.drills)


def _drill_cells(standing):
    if standing is None:
        return (None, None, None, 'unknown')
    return (clock.iso(standing.last_good.started) if standing.last_good
            else None, standing.rto_median, standing.rto_worst,
            standing.problem)


def _csv(header, lines):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in lines:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_csv(projects, generated_at):
    return _csv(HEADER, rows(projects, generated_at))


def schedules_csv(schedules, generated_at):
    return _csv(SCHEDULE_HEADER, schedule_rows(schedules, generated_at))


def _hours(delta):
    return round(delta.total_seconds() / 3600, 2) if delta else None


def compliance_rows(report):
    """Each finding, then a row per category that could not be judged."""
    states = {c.code: c.state for c in report.categories}
    generated = clock.iso(report.now)
    for f in report.findings:
        facts = f.facts
        yield (f.category, f.project_name, f.project_id, f.subject_type,
               f.subject_name, f.subject_id, clock.iso(f.at),
               facts.get('volume'), facts.get('volume_id'),
               facts.get('reason'), facts.get('by'), facts.get('status')
               if f.subject_type == 'backup' else None,
               facts.get('volumes'), _hours(facts.get('rpo')),
               '; '.join(i['name'] for i in facts.get('instances', [])),
               '; '.join(facts.get('drill_schedules', [])),
               facts.get('last_outcome'), states[f.category], generated,
               '; '.join(facts.get('bounds', [])))
    for c in report.categories:
        if c.count is None:
            yield (c.code,) + (None,) * (len(COMPLIANCE_HEADER) - 4) + (
                c.state, generated, None)


def compliance_csv(report):
    return _csv(COMPLIANCE_HEADER, compliance_rows(report))


def _plain(value):
    """A fact as JSON has it: times in ISO 8601, durations in hours."""
    if isinstance(value, datetime.datetime):
        return clock.iso(value)
    if isinstance(value, dict):
        return {k + ('_hours' if isinstance(v, datetime.timedelta) else ''):
                _hours(v) if isinstance(v, datetime.timedelta) else _plain(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def compliance_json(report):
    """The findings and each category's count and completeness."""
    return json.dumps({
        'generated_at': clock.iso(report.now),
        'partial': report.partial,
        'categories': [{'category': c.code, 'count': c.count,
                        'data': c.state, 'missing': list(c.missing)}
                       for c in report.categories],
        'findings': [dict(_plain(f.facts), category=f.category,
                          project=f.project_name, project_id=f.project_id,
                          subject_type=f.subject_type, subject=f.subject_name,
                          subject_id=f.subject_id, at=clock.iso(f.at) or None)
                     for f in report.findings],
    }, indent=2, sort_keys=True, ensure_ascii=False)
