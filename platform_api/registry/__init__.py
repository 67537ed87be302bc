"""The model registry and its promotion gate."""
