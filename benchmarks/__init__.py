"""Benchmarks of the learning core on real data; each command prints one JSON object."""
