"""Trainer side: Celery worker, job executor, Qlib workflow runner, demo market."""
