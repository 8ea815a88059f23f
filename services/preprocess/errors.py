"""The one error type a bad source raises: it names the source, the file and where it broke."""

from __future__ import annotations

from typing import Literal

SourceName = Literal["atlas", "osm", "gtfs", "boundary"]


class SourceError(Exception):
    """A source could not be fetched or parsed; the run fails with this message in its status."""

    # Downloads already retry transient HTTP errors; what reaches the consumer is final, so the
    # consumer fails the run at once instead of re-parsing the same bad file.
    retryable = False

    def __init__(
        self,
        source: str,
        file: str,
        reason: str,
        location: int | None = None,
        unit: Literal["row", "byte"] = "row",
    ) -> None:
        self.source = source
        self.file = str(file)
        self.reason = reason
        self.location = location
        # "row" is the 1-based line of a text file (the header is line 1); "byte" an offset.
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f" {self.unit} {self.location}" if self.location is not None else ""
        return f"{self.source}: {self.file}{where}: {self.reason}"

    def __reduce__(self):  # keeps the fields when the error crosses a process boundary
        return (SourceError, (self.source, self.file, self.reason, self.location, self.unit))

    def as_dict(self) -> dict[str, object]:
        """The fields the status store shows."""
        return {
            "source": self.source,
            "file": self.file,
            "location": self.location,
            "unit": self.unit,
            "reason": self.reason,
        }
