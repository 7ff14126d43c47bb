"""Helpers the tests import (`from support.cli import run_cli`): no fixtures here, those live in the
conftest.py files. `pythonpath = ["tests"]` in pyproject.toml makes this package importable.

- paths: the checkout's folders and files the tests read (REPO, SHIPPED_DATA, SEED)
- cli: the real CLI in-process (run_cli, Result, rec)
- git: the fixed test identity (GIT_ENV) and git() in a folder
- files: write a file, snapshot a folder's files
- trackers: a tracker made once by `kehoach init`, copied where a test needs one
- clones: a bare shared remote and clerks' clones for the sync tests (Office)
- forms: make a unit's form with the CLI, fill it as the unit would
- report_sample: a tracker with a few records covering most categories, for the report tests
"""
