"""The per-project summary as CSV, safe to open in a spreadsheet.

Project and schedule names are user-controlled: a cell starting with
``= + - @`` (or a tab or carriage return) would be run as a formula by
Excel or LibreOffice, so such cells are prefixed with a quote (OWASP's
advice for CSV injection).
"""
import csv
import io

HEADER = ('project', 'project_id', 'instances', 'assigned', 'unprotected',
          'coverage_percent', 'rpo_breaches', 'schedules',
          'unhealthy_schedules', 'failed_runs_8_days', 'backups_used',
          'backups_quota', 'backup_gb_used', 'backup_gb_quota')
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


def rows(projects):
    for p in projects:
        used_backups = _quota(p, 'backups', 0)
        used_gb = _quota(p, 'gigabytes', 0)
        yield (p.name, p.id, p.instances, p.assigned, p.unprotected,
               p.coverage, p.breaches, p.schedules, p.unhealthy,
               p.failed_runs,
               p.backups if used_backups is None else used_backups,
               _quota(p, 'backups', 1),
               p.backup_gb if used_gb is None else used_gb,
               _quota(p, 'gigabytes', 1))


def to_csv(projects):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(projects):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
