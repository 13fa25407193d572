"""Exercises and quick questions of this notebook (declared when written)."""
