"""When schedules run: the one home of time in backup-dashboard.

A schedule is a cron pattern read in a time zone, exactly as the user typed
or picked it. ``cron`` reads patterns, zones and instants (the only code in
backup-dashboard that imports croniter and zoneinfo); ``plans`` turns a
pattern in a zone into the trigger Mistral stores and answers when a stored
trigger really runs. Pages, exports and health ask these and nothing else.
"""
