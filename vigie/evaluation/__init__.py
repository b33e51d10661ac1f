"""Measuring Vigie against labelled data: pure scoring functions, no command line."""
