collect_ignore = ['in_fresh_horizon']  # run inside the fresh venv only
