"""The shared core both sides stand on: settings, process helpers, logging, the Qlib data-folder format, workflow
config vetting, the Celery contract and the trainer protocol. It imports neither the API nor the trainers."""
