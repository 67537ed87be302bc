"""Qlib-platform API facade: auth, data, configs, jobs, system status."""
