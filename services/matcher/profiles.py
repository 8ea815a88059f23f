"""Matching profiles: the thresholds and the stage order for one country or source kind."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SWISS_STAGES = (
    "manual",
    "trio",
    "exact",
    "name",
    "route",
    "proximity",
    "local_ref",
    "nearest",
    "normalized_name",
)
# Any GTFS-plus-OSM country: the same order; stages keyed on UIC simply find no keys when the
# feed has none.
GENERIC_STAGES = SWISS_STAGES


@dataclass(frozen=True)
class Profile:
    """Thresholds (metres) and the ordered stage names of one matching profile."""

    name: str
    stages: tuple[str, ...]
    official_source: str = "atlas"  # "atlas": ATLAS CSV; "gtfs": the feed's stops.txt
    pair_max_m: float = 12.0
    pair_agreeing_max_m: float = 15.0  # when platform, stop_position and official counts agree
    pair_ratio_strict: float = 1.5
    pair_ratio_fallback: float = 2.0
    official_count_max_m: float = 30.0
    trio_side_max_m: float = 15.0
    exact_max_m: float = 500.0
    # The reference gives one OSM unit to all N official stops of its UIC. On the generator's
    # truth that costs 78 false pairs in 553 (the other platforms' own elements are missing),
    # so by default only the closest stop takes it; the others go on to the later stages.
    exact_shared_unit_all: bool = False  # a uic_ref farther than this is a wrong tag, not a match
    # A target within 25 m of another UIC's stop, and 4x (and 50 m) farther from its own UIC's
    # nearest stop, most likely carries a neighbour's copied uic_ref.
    exact_trap_near_m: float = 25.0
    exact_trap_ratio: float = 4.0
    exact_trap_min_own_m: float = 50.0
    name_max_m: float | None = None
    route_max_m: float = 50.0
    proximity_radii_m: tuple[float, ...] = (50.0, 150.0)
    local_ref_max_m: float = 50.0
    nearest_max_m: float = 50.0
    nearest_ratio: float = 4.0
    nearest_ratio_min_d2_m: float = 10.0
    normalized_name_max_m: float = 150.0
    normalized_name_local_max_m: float = 50.0  # matched without the locality prefix
    isolation_m: float = 50.0
    # Geometry stages skip a target that is 1.5x (+3 m) closer to another official stop.
    elsewhere_ratio: float = 1.5
    elsewhere_slack_m: float = 3.0
    excluded_kinds: tuple[str, ...] = ("station",)
    extra: dict = field(default_factory=dict)

    def without(self, stage: str) -> Profile:
        """This profile with one stage switched off (used to measure a stage's effect)."""
        return replace(self, stages=tuple(s for s in self.stages if s != stage))


SWISS = Profile(name="swiss", stages=SWISS_STAGES)
GENERIC = Profile(name="generic", stages=GENERIC_STAGES, official_source="gtfs", name_max_m=1000.0)
PROFILES = {"swiss": SWISS, "generic": GENERIC}


def get_profile(profile: str | Profile) -> Profile:
    """Resolve a profile name (or pass a Profile through)."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise ValueError(f"unknown matching profile {profile!r}; known: {sorted(PROFILES)}") from None
