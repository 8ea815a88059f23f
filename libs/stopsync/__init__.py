"""stopsync package."""
