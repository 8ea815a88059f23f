// Deep links in the URL hash: `#map=zoom/lat/lon&stop=<sloid>`.

/** Parse a hash into {map: {zoom, lat, lon} | null, stop: string | null}. */
export function parseHash(hash) {
  const out = { map: null, stop: null };
  for (const part of hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    let value;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      continue; // a hand-edited, malformed escape: ignore that part, keep the rest
    }
    if (key === "map") out.map = parseView(value);
    if (key === "stop" && value) out.stop = value;
  }
  return out;
}

function parseView(value) {
  const [zoom, lat, lon] = value.split("/").map(Number);
  const ok = [zoom, lat, lon].every(Number.isFinite) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  return ok ? { zoom: Math.round(zoom), lat, lon } : null;
}

/** Format the state back; sloids keep their readable colons. */
export function formatHash({ map, stop }) {
  const parts = [];
  if (map) {
    // Five decimals is about a metre: enough to come back to the same view.
    parts.push(`map=${map.zoom}/${map.lat.toFixed(5)}/${map.lon.toFixed(5)}`);
  }
  if (stop) parts.push(`stop=${encodeURIComponent(stop).replace(/%3A/gi, ":")}`);
  return parts.length ? `#${parts.join("&")}` : "";
}
