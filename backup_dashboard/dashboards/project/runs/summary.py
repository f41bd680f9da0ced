"""What a run did, read from the result the schedule workflow published.

The workflow publishes a compact result (see docs/workflows.rst); a run that
failed before publishing, or whose output is malformed, still gets a summary
that says what is known instead of breaking the page.
"""
import datetime
import json

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans

OUTCOMES = ('ok', 'partial', 'failed', 'empty')
COUNTS = ('ok', 'failed', 'skipped', 'created', 'deleted')


class Summary(object):
    def __init__(self, execution):
        self.execution = execution
        data = _json(getattr(execution, 'output', None))
        data = data if isinstance(data, dict) else {}
        counts = data.get('counts')
        self.known = isinstance(counts, dict)
        counts = counts if self.known else {}
        self.counts = {k: _int(counts.get(k)) for k in COUNTS}
        volumes = data.get('volumes')
        self.volumes = [v for v in volumes if isinstance(v, dict)] \
            if isinstance(volumes, list) else []
        self.error = data.get('error') if isinstance(data.get('error'),
                                                     str) else None
        self.schedule = _name(data.get('schedule')) or _name(_json(
            getattr(execution, 'input', None)).get('schedule'))
        self.outcome = self._outcome(data.get('status'))
        if self.not_due:
            # Its empty counts are not "0 volumes backed up": no run at all.
            self.known = False

    @property
    def not_due(self):
        """A fire of a DST schedule's union pattern that its first task
        (dst_guard) ended at once: no backup was due, none was tried."""
        return self.outcome == plans.NOT_DUE

    def why(self, limit=3):
        """In words, why a failed or partial run did not back up every
        volume: the workflow's own error, else the volumes' distinct reasons
        (Cinder's words, "overlap: ..."). None when there is nothing to say.
        """
        if self.outcome not in ('failed', 'partial'):
            return None
        if self.error:
            return self.error
        reasons = []
        for volume in self.volumes:
            if volume.get('status') == 'ok' or str(
                    volume.get('reason')).startswith('opted out'):
                continue
            text = volume.get('error') or volume.get('reason')
            if isinstance(text, str) and text and text not in reasons:
                reasons.append(text)
        return '; '.join(reasons[:limit]) or None

    def _outcome(self, status):
        state = getattr(self.execution, 'state', None)
        if state in ('RUNNING', 'PAUSED', 'IDLE'):
            return 'running'
        if state in ('ERROR', 'CANCELLED'):
            return 'failed' if status != 'partial' else 'partial'
        if status in OUTCOMES or (state == 'SUCCESS' and
                                  status == plans.NOT_DUE):
            return status
        return 'unknown'


def _json(value):
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _name(value):
    """A schedule name fit for a link; anything else is not one."""
    if isinstance(value, str) and value.strip() and '/' not in value:
        return value
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def per_day(summaries, days, today, zone_name='UTC'):
    """[(date, {outcome: count})] for the `days` days up to `today`, days
    of `zone_name` (the viewer's: a run at 23:30 UTC is on the next day in
    Berlin).

    Fires that were not due (DST) are no runs: they are left out, not
    counted as "other".
    """
    buckets = {today - datetime.timedelta(days=n): {} for n in range(days)}
    for summary in summaries:
        started = clock.in_zone(summary.execution.created_at, zone_name)
        if summary.not_due or started is None:
            continue
        bucket = buckets.get(started.date())
        if bucket is None:
            continue
        outcome = summary.outcome if summary.outcome in (
            'ok', 'partial', 'failed') else 'other'
        bucket[outcome] = bucket.get(outcome, 0) + 1
    return sorted(buckets.items())
