"""Mistral's own parser, expression evaluator and engine, for the tests.

Mistral is not installed next to Horizon: ``bridge`` (imported by the tests)
starts the scripts of this folder (``check.py``, ``simulate.py``,
``fires.py``) under a Python that has Mistral (``.venv-mistral``, see
docs/workflows.rst); they import only each other and Mistral.
``flatten.py`` folds a workbook's ``<% %>`` blocks onto one line each.
"""
