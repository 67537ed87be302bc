"""The experiments domain: MLflow's experiments and runs for the dashboard (lists, filters, series, comparison)."""
