"""CLI commands, one module per capability."""
