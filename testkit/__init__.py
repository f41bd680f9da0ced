"""What the tests, the benchmarks and the demo share; never shipped.

Horizon's settings with the plugin's enabled files (``horizon_settings``,
the tests' ``settings``), the view tests' base and helpers (``helpers``),
client resources made with the real client classes (``data``,
``overview_data``), Horizon's Instances index test machinery with the
plugin (``instances``) and a user's clients on the local OpenStack
(``cloud``). It lives at the repository root, beside ``backup_dashboard``
(which never imports it): pytest (``pythonpath = .``), ``python -m
benchmarks.<script>`` and ``make demo`` find it there.
"""
