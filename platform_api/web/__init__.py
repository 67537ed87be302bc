"""The dashboard: the built single-page app served at / by the API."""
