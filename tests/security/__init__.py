"""Regression tests for what a stranger could once do to the site (docs/security.md)."""
