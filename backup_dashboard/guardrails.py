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

"""Schedule templates and per-project bounds: what admins offer and allow.

Both live beside the retention locks in the governance variables (the
output of ``governance.WORKFLOW``, written by the admin pages only):
``schedule_templates`` is a list of ``{name, pattern, zone, mode,
max_full, max_incremental, projects}`` (``projects`` empty: every
project), ``bounds`` is ``{"default": {...}, "projects": {<project id>:
{...}}}`` with ``min_interval_minutes``, ``min_full``, ``max_full`` and
``max_gb_per_run`` (a project's own entry replaces the default). A
schedule remembers the template it was made from (``schedule.Schedule``'s
``template``); the schedule form refuses values that differ from the chosen
template or fall outside the bounds, with the template's values or the
bound named; drift is a saved schedule that differs from its template's
current values. Pure functions; the shortest gap of a pattern comes from
``clock.cron.intervals``.
"""
import dataclasses
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard import errors
from backup_dashboard import schedule as domain

TEMPLATES_KEY = 'schedule_templates'
BOUNDS_KEY = 'bounds'
NAME_MAX = 64
# What Mistral would read as a YAQL or Jinja expression: never stored.
EXPRESSION_MARKS = ('<%', '%>', '{{', '}}', '{%', '%}')
BOUND_FIELDS = ('min_interval_minutes', 'min_full', 'max_full',
                'max_gb_per_run')
BOUND_MAX = {'min_interval_minutes': 527040, 'min_full': 100,
             'max_full': 100, 'max_gb_per_run': 10 ** 7}
DEFAULT, PROJECT = 'default', 'project'
PROJECT_ID = re.compile(r'^[0-9a-zA-Z_-]{1,64}$')
# The fields a template fixes, as a schedule names them.
COMPARED = ('local_pattern', 'timezone', 'mode', 'max_full',
            'max_incremental')


@dataclasses.dataclass(frozen=True)
class Template:
    name: str
    pattern: str
    zone: str | None = None         # None: any zone the user picks
    mode: str = 'rotation'
    max_full: int = 2
    max_incremental: int = 6
    projects: tuple = ()            # (): every project

    def visible_to(self, project_id):
        return not self.projects or project_id in self.projects

    def values(self):
        """{schedule field: value} of what it fixes (zone only when set)."""
        found = {'local_pattern': self.pattern, 'timezone': self.zone,
                 'mode': self.mode, 'max_full': self.max_full,
                 'max_incremental': self.max_incremental}
        return {k: v for k, v in found.items() if v is not None}

    def text(self):
        """Its values in words, as the form's refusal names them."""
        runs = _('cron "%(pattern)s" in %(zone)s') % {
            'pattern': self.pattern,
            'zone': self.zone or _('the zone you choose')}
        return _('%(runs)s, mode %(mode)s, %(full)d full backups kept, '
                 '%(incr)d incrementals per full') % {
            'runs': runs, 'mode': self.mode, 'full': self.max_full,
            'incr': self.max_incremental}

    def as_entry(self):
        return {'name': self.name, 'pattern': self.pattern,
                'zone': self.zone, 'mode': self.mode,
                'max_full': self.max_full,
                'max_incremental': self.max_incremental,
                'projects': list(self.projects)}


@dataclasses.dataclass(frozen=True)
class Bounds:
    min_interval_minutes: int | None = None
    min_full: int | None = None
    max_full: int | None = None
    max_gb_per_run: int | None = None
    source: str = DEFAULT

    def as_entry(self):
        return {f: getattr(self, f) for f in BOUND_FIELDS}

    def text(self):
        parts = []
        if self.min_interval_minutes:
            parts.append(_('at most one run every %d minutes')
                         % self.min_interval_minutes)
        if self.min_full or self.max_full:
            parts.append(_('%(low)s to %(high)s full backups kept') % {
                'low': self.min_full or 1, 'high': self.max_full or
                domain.FULL_RANGE[1]})
        if self.max_gb_per_run:
            parts.append(_('at most %d GB per run') % self.max_gb_per_run)
        return '; '.join(parts) or _('no bounds')


# --- reading ----------------------------------------------------------------

def _whole(value):
    return value if isinstance(value, int) and not isinstance(
        value, bool) and value > 0 else None


def _template(entry):
    if not isinstance(entry, dict):
        return None
    try:
        return check_template(Template(
            entry.get('name'), entry.get('pattern'), entry.get('zone'),
            entry.get('mode', 'rotation'), entry.get('max_full'),
            entry.get('max_incremental'),
            tuple(entry.get('projects') or ())))
    except (errors.InputError, TypeError, ValueError):
        return None


def templates(variables):
    """Every readable template, by name (one not readable is left out)."""
    found = (variables or {}).get(TEMPLATES_KEY)
    if not isinstance(found, list):
        return []
    return sorted((t for t in map(_template, found) if t is not None),
                  key=lambda t: t.name.lower())


def visible_templates(variables, project_id):
    return [t for t in templates(variables) if t.visible_to(project_id)]


def template_named(variables, name):
    return next((t for t in templates(variables) if t.name == name), None)


def _bounds(entry, source):
    if not isinstance(entry, dict):
        return None
    values = {f: _whole(entry.get(f)) for f in BOUND_FIELDS}
    found = Bounds(source=source, **values)
    return found if any(getattr(found, f) for f in BOUND_FIELDS) else None


def _all_bounds(variables):
    found = (variables or {}).get(BOUNDS_KEY)
    return found if isinstance(found, dict) else {}


def bounds_for(variables, project_id):
    """The bounds of `project_id` (its own, else the default), or None."""
    projects = _all_bounds(variables).get('projects')
    own = projects.get(project_id) if isinstance(projects, dict) else None
    if own is not None:
        return _bounds(own, PROJECT)
    return default_bounds(variables)


def default_bounds(variables):
    return _bounds(_all_bounds(variables).get('default'), DEFAULT)


def project_bounds(variables):
    """{project id: Bounds} of the projects that have their own."""
    projects = _all_bounds(variables).get('projects')
    if not isinstance(projects, dict):
        return {}
    return {pid: b for pid, b in ((pid, _bounds(e, PROJECT))
                                  for pid, e in projects.items())
            if b is not None}


# --- checking what an admin types ------------------------------------------

def check_name(name):
    """A template name as typed, or InputError: never an expression."""
    name = name if isinstance(name, str) else ''
    if not name.strip() or name != name.strip() or len(name) > NAME_MAX:
        raise errors.InputError(_('Enter a name of 1 to %d characters, '
                                  'without spaces around it.') % NAME_MAX,
                                'name')
    if any(mark in name for mark in EXPRESSION_MARKS) or \
            not name.isprintable():
        raise errors.InputError(_('A template name cannot contain %s or '
                                  'control characters.') %
                                ' '.join(EXPRESSION_MARKS), 'name')
    return name


def check_template(template):
    """`template` if every value is one a schedule may have; else refused."""
    check_name(template.name)
    if not isinstance(template.pattern, str):
        raise errors.InputError(_('Enter a cron pattern.'), 'pattern')
    clock.check_pattern(template.pattern, 1)
    if template.zone is not None:
        clock.zone(template.zone)
    domain.validate_retention(template.mode, template.max_full,
                              template.max_incremental)
    for pid in template.projects:
        if not isinstance(pid, str) or not PROJECT_ID.match(pid):
            raise errors.InputError(_('Not a project id: %s') % pid,
                                    'projects')
    return template


def validate_bounds(values):
    """{field: number or None} from what was typed, refused with limits."""
    checked = {}
    for field in BOUND_FIELDS:
        value = values.get(field)
        if value in (None, ''):
            checked[field] = None
            continue
        text = str(value).strip()
        top = BOUND_MAX[field]
        if not text.isdigit() or str(int(text)) != text or \
                not 1 <= int(text) <= top:
            raise errors.InputError(_('Enter a whole number from 1 to %d, '
                                      'or leave it empty.') % top, field)
        checked[field] = int(text)
    if checked['min_full'] and checked['max_full'] and \
            checked['min_full'] > checked['max_full']:
        raise errors.InputError(_('The least number of full backups is '
                                  'above the most.'), 'min_full')
    return checked


# --- writing ---------------------------------------------------------------

def with_template(variables, template):
    """`variables` with `template` added (or replacing one of its name)."""
    new = dict(variables or {})
    kept = [t.as_entry() for t in templates(new) if t.name != template.name]
    new[TEMPLATES_KEY] = sorted(kept + [template.as_entry()],
                                key=lambda e: e['name'].lower())
    return new


def without_template(variables, name):
    new = dict(variables or {})
    new[TEMPLATES_KEY] = [t.as_entry() for t in templates(new)
                          if t.name != name]
    return new


def with_bounds(variables, project_id, values):
    """`variables` with the bounds of `project_id` (None: the default).

    `values` with no number clears them (a project falls back to the
    default).
    """
    new = dict(variables or {})
    found = dict(_all_bounds(new))
    entry = dict(values) if values and any(values.values()) else None
    if project_id is None:
        found.pop('default', None)
        if entry:
            found['default'] = entry
    else:
        projects = dict(found.get('projects') or {})
        projects.pop(project_id, None)
        if entry:
            projects[project_id] = entry
        found['projects'] = projects
    new[BOUNDS_KEY] = found
    return new


def stored(variables):
    """The templates and bounds as ``governance.definition`` writes them.

    ValueError on anything that is not a template or bound: nothing Mistral
    could read as an expression goes in.
    """
    entries = []
    for entry in (variables or {}).get(TEMPLATES_KEY) or []:
        if _template(entry) is None:
            raise ValueError('not a template: %r' % (entry,))
        entries.append(_template(entry).as_entry())
    found = _all_bounds(variables)
    bounds = {'default': found.get('default'),
              'projects': dict(found.get('projects') or {})}
    for pid, entry in [(None, bounds['default'])] + list(
            bounds['projects'].items()):
        if pid is not None and not PROJECT_ID.match(str(pid)):
            raise ValueError('not a project id: %r' % pid)
        if entry is not None and (not isinstance(entry, dict) or any(
                k not in BOUND_FIELDS or
                (v is not None and _whole(v) is None)
                for k, v in entry.items())):
            raise ValueError('not bounds: %r' % (entry,))
    return {TEMPLATES_KEY: entries, BOUNDS_KEY: bounds}


# --- judging a schedule ----------------------------------------------------

def shortest_gap_minutes(pattern):
    """The shortest gap between two runs of `pattern`, in minutes."""
    gaps = clock.intervals(pattern)
    return None if gaps is None else int(gaps[0].total_seconds() // 60)


def bounds_refusals(schedule, bounds, run_gigabytes=None):
    """Why `schedule` is outside `bounds`, one sentence per bound crossed.

    `run_gigabytes`: what one run backs up, when known (the forecast).
    """
    if bounds is None:
        return []
    whose = _("this project's bounds") if bounds.source == PROJECT else \
        _("the cloud's default bounds")
    why = []
    least = bounds.min_interval_minutes
    gap = shortest_gap_minutes(schedule.local_pattern) if least and \
        schedule.local_pattern else None
    if gap is not None and gap < least:
        why.append(ngettext(
            'runs every %(gap)d minute; %(whose)s allow at most one run '
            'every %(least)d minutes',
            'runs every %(gap)d minutes; %(whose)s allow at most one run '
            'every %(least)d minutes', gap) % {
            'gap': gap, 'whose': whose, 'least': least})
    if bounds.min_full and schedule.max_full < bounds.min_full:
        why.append(_('keeps %(full)d full backups; %(whose)s require at '
                     'least %(low)d') % {'full': schedule.max_full,
                                         'whose': whose,
                                         'low': bounds.min_full})
    if bounds.max_full and schedule.max_full > bounds.max_full:
        why.append(_('keeps %(full)d full backups; %(whose)s allow at most '
                     '%(high)d') % {'full': schedule.max_full,
                                    'whose': whose,
                                    'high': bounds.max_full})
    if bounds.max_gb_per_run and run_gigabytes is not None and \
            run_gigabytes > bounds.max_gb_per_run:
        why.append(_('backs up %(gb)d GB per run; %(whose)s allow at most '
                     '%(max)d GB per run') % {'gb': run_gigabytes,
                                              'whose': whose,
                                              'max': bounds.max_gb_per_run})
    return why


def bounds_refusal(schedule, bounds, run_gigabytes=None):
    """The form's refusal of a schedule outside `bounds`, or None."""
    why = bounds_refusals(schedule, bounds, run_gigabytes)
    if not why:
        return None
    return _('This schedule %s.') % _('; it ').join(why)


def differences(schedule, template):
    """The fields of `schedule` whose values differ from `template`'s."""
    return [field for field, value in template.values().items()
            if getattr(schedule, field) != value]


def template_refusal(schedule, template):
    """Why `schedule` cannot say it follows `template`, or None."""
    if template is None or not differences(schedule, template):
        return None
    return _('The template "%(name)s" is %(values)s. Enter exactly these '
             'values, or choose no template.') % {
        'name': template.name, 'values': template.text()}


def drift(schedule, variables):
    """How a saved schedule differs from its template now, or None.

    None: no template remembered, or the same values. ['template']: its
    template no longer exists; else the fields that differ.
    """
    if not schedule.template:
        return None
    template = template_named(variables, schedule.template)
    if template is None:
        return ['template']
    return differences(schedule, template) or None
