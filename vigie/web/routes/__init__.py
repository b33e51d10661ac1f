"""The review app's pages, one module per page (each exposes `router`)."""
