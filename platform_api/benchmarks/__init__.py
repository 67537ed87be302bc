"""Benchmarks: configs × seeds on one dataset version, fanned out as jobs, ranked on a leaderboard."""
