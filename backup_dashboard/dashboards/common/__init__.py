"""What several panels show or do alike: times and health in words
(``display``), links between panels (``links``), form fields (``fields``),
table actions (``actions``) and who may delete a backup (``protection``).
Panels import these, the domain and ``backup_dashboard.api``, never each
other."""
