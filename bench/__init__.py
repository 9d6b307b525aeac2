"""Benchmarks of Storyline: throughput and memory against spaCy alone, and scale (see README.md)."""
