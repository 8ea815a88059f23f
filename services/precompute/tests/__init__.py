"""precompute unit tests."""
