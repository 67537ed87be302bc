"""The MLflow door: the only way to MLflow, authenticated and authorised by the platform."""
