"""Tests of the pure learning core."""
