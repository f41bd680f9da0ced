"""The plugin on Horizon's Instances page: the "Configure backups" row action,
its modal form, the "Backup" indicator column and the instance's Backups tab.

Not a panel: the views are routed under the Backup Schedules panel's URLs and
the action and column are put into Horizon's ``InstancesTable`` by
``extend.install()``, called from the app's ``AppConfig.ready()``.
"""
