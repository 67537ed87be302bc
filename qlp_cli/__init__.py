"""The `qlp` command line: the one package that may import every side (it starts the API, MLflow and workers)."""
