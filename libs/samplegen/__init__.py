"""samplegen: synthetic Swiss-like ATLAS, OSM and GTFS data with ground truth (`stopsync generate`)."""

from samplegen.pipeline import generate

__all__ = ["generate"]
