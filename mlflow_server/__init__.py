"""Launching and configuring the MLflow tracking server."""
