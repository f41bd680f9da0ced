"""backup-dashboard: scheduled Cinder volume backups for Horizon, run by Mistral."""
