"""The matching stages, by the names a profile lists them under."""

from matcher.stages import exact, local_ref, name, nearest, proximity, route, trio

STAGES = {
    "trio": trio.run,
    "exact": exact.run,
    "name": name.run,
    "route": route.run,
    "proximity": proximity.run,
    "local_ref": local_ref.run,
    "nearest": nearest.run,
    "normalized_name": name.run_normalized,
}
