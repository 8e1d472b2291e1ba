"""Benchmarks: ``python -m bench`` (``make bench``) writes bench/results.json."""
