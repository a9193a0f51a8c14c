"""Maintenance tools (run by hand, results committed and reviewed)."""
