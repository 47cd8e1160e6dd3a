"""Benchmarks of the builder (not unit tests): ``python -m bench`` and ``bench.html_bench``."""
