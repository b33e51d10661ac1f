"""Vigie's downloader middlewares: retries that wait (Retry-After, back-off), redirect loops."""
