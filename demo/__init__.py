"""The demo partnership and the published-figure samples: seeded by `manage.py load_demo`, the benchmarks
and the tests. Nothing in the hub imports it (an import-linter contract holds that)."""
