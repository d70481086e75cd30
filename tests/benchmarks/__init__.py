"""Tests of the benchmark commands and their CSV reader."""
