"""samplegen package."""
