// The canvas overlay: official stops, OSM elements, match lines, hit testing and the hover tip.

import {
  LINK, OSM_MATCHED, OSM_UNMATCHED, PRIORITY_COLORS, stopColor,
} from "./legend.js";
import { project } from "./mercator.js";

const HIT_RADIUS = 9;

/** Marker sizes for a zoom: small when zoomed out so dense towns stay readable. */
export function markerSize(zoom) {
  if (zoom >= 15) return { stop: 5, osm: 3.5, ring: 3 };
  if (zoom >= 12) return { stop: 4, osm: 2.5, ring: 2 };
  return { stop: 2.5, osm: 1.5, ring: 1.5 };
}

export class Overlay {
  /** Draw on `map`'s canvas; `onPick(kind, feature)` is called when a marker is clicked. */
  constructor(map, onPick) {
    this.map = map;
    this.onPick = onPick;
    this.stops = [];
    this.osm = [];
    this.osmById = new Map();
    this.priorities = new Map(); // sloid -> most severe problem priority
    this.links = new Map(); // sloid -> all its matched osm_ids, once loaded
    this.selected = null; // {sloid, lon, lat, matches: [{osm_lon, osm_lat}]}
    this.tip = document.createElement("div");
    this.tip.className = "map-tip";
    this.tip.hidden = true;
    map.container.append(this.tip);
    map.on("draw", (ctx) => this.draw(ctx));
    map.on("click", (x, y, e) => this.click(x, y, e.shiftKey));
    map.on("hover", (x, y) => this.hover(x, y));
    map.on("leave", () => { this.tip.hidden = true; });
  }

  /** Replace the features shown (GeoJSON features of /api/stops and /api/osm). */
  setFeatures(stops, osm) {
    this.stops = stops;
    this.osm = osm;
    this.osmById = new Map(osm.map((f) => [f.properties.osm_id, f]));
    this.map.redraw();
  }

  /** Merge sloid -> priority entries (lower is more severe). */
  setPriorities(priorities) {
    this.priorities = priorities;
    this.map.redraw();
  }

  /** Set sloid -> [osm_id] for all matches (a stop can match several OSM elements). */
  setLinks(links) {
    this.links = links;
    this.map.redraw();
  }

  /** Highlight one stop and draw lines to all its matches (from /api/stops/{sloid}). */
  select(selected) {
    this.selected = selected;
    this.map.redraw();
  }

  priorityOf(props) {
    // A future /api/stops may carry the priority itself; otherwise use the problem list.
    return props.problem_priority ?? this.priorities.get(props.sloid) ?? null;
  }

  /** A projector for this frame: [lon, lat] -> screen [x, y] (the origin is computed once). */
  projector() {
    const o = this.map.origin();
    const zoom = this.map.zoom;
    return ([lon, lat]) => {
      const p = project(lon, lat, zoom);
      return [p.x - o.x, p.y - o.y];
    };
  }

  draw(ctx) {
    this.size = markerSize(this.map.zoom);
    const xy = this.projector();
    this.drawLinks(ctx, xy);
    this.drawOsm(ctx, xy);
    this.drawStops(ctx, xy);
    if (this.selected) this.drawSelected(ctx);
  }

  drawLinks(ctx, xy) {
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = LINK;
    ctx.beginPath();
    for (const f of this.stops) {
      const p = f.properties;
      const [x1, y1] = xy(f.geometry.coordinates);
      for (const osmId of this.links.get(p.sloid) ?? (p.osm_id ? [p.osm_id] : [])) {
        const target = this.osmById.get(osmId);
        if (!target) continue; // outside the view, or beyond the layer's limit
        const [x2, y2] = xy(target.geometry.coordinates);
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
    }
    ctx.stroke();
  }

  // Markers are drawn one path per colour, not one per feature: thousands of fill() calls
  // cost more than the geometry itself.
  drawOsm(ctx, xy) {
    const half = this.size.osm;
    const groups = { matched: new Path2D(), unmatched: new Path2D() };
    for (const f of this.osm) {
      const [x, y] = xy(f.geometry.coordinates);
      groups[f.properties.matched ? "matched" : "unmatched"].rect(x - half, y - half, half * 2, half * 2);
    }
    paint(ctx, groups.matched, OSM_MATCHED, "#fff", 1);
    paint(ctx, groups.unmatched, "#fff", OSM_UNMATCHED, 2);
  }

  drawStops(ctx, xy) {
    const { stop: radius, ring } = this.size;
    const rings = new Map();
    const fills = new Map();
    const add = (groups, key, x, y, r) => {
      if (!groups.has(key)) groups.set(key, new Path2D());
      const path = groups.get(key);
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, 2 * Math.PI);
    };
    for (const f of this.stops) {
      const [x, y] = xy(f.geometry.coordinates);
      const priority = this.priorityOf(f.properties);
      if (priority) add(rings, PRIORITY_COLORS[priority] || PRIORITY_COLORS[3], x, y, radius + ring);
      add(fills, stopColor(f.properties.match_type), x, y, radius);
    }
    for (const [color, path] of rings) paint(ctx, path, null, color, ring);
    for (const [color, path] of fills) paint(ctx, path, color, "#fff", radius > 3 ? 1.2 : 0.6);
  }

  drawSelected(ctx) {
    const s = this.selected;
    const [x, y] = this.map.toScreen(s.lon, s.lat);
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2.5;
    for (const m of s.matches) {
      if (m.osm_lon === undefined || m.osm_lon === null) continue;
      const [mx, my] = this.map.toScreen(m.osm_lon, m.osm_lat);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(mx, my);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(x, y, this.size.stop + 7, 0, 2 * Math.PI);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }

  /** The nearest marker within the hit radius of a screen point: {kind, feature} or null. */
  hit(x, y, osmFirst = false) {
    const xy = this.projector();
    const nearest = (features, kind) => {
      let best = null;
      for (const f of features) {
        const [fx, fy] = xy(f.geometry.coordinates);
        const d = (fx - x) ** 2 + (fy - y) ** 2;
        if (d <= HIT_RADIUS * HIT_RADIUS && (!best || d < best.d)) best = { kind, feature: f, d };
      }
      return best;
    };
    const osm = nearest(this.osm, "osm");
    const stop = nearest(this.stops, "stop");
    // A platform node often sits within a pixel of its official stop: Shift+click asks for OSM.
    if (osmFirst) return osm ?? stop;
    if (!osm || !stop) return osm ?? stop;
    return stop.d <= osm.d ? stop : osm; // stops win ties: they are drawn on top
  }

  click(x, y, osmFirst) {
    const found = this.hit(x, y, osmFirst);
    if (found) this.onPick(found.kind, found.feature);
  }

  hover(x, y) {
    const found = this.hit(x, y);
    this.map.canvas.style.cursor = found ? "pointer" : "";
    if (!found) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = describe(found.kind, found.feature.properties);
    this.tip.style.transform = `translate(${Math.round(x + 12)}px, ${Math.round(y + 12)}px)`;
    this.tip.hidden = false;
  }
}

/** Fill and/or stroke one path. */
function paint(ctx, path, fill, stroke, width) {
  if (fill) {
    ctx.fillStyle = fill;
    ctx.fill(path);
  }
  ctx.strokeStyle = stroke;
  ctx.lineWidth = width;
  ctx.stroke(path);
}

/** A one-line description of a marker, for the hover tip. */
export function describe(kind, p) {
  if (kind === "osm") {
    const ref = p.local_ref ? ` [${p.local_ref}]` : "";
    return `OSM ${p.kind || ""} ${p.osm_id}: ${p.name || "(no name)"}${ref} — ${p.matched ? "matched" : "unmatched"}`;
  }
  const platform = p.designation ? ` (${p.designation})` : "";
  const state = p.match_type ? `${p.match_type} match → ${p.osm_id}` : "unmatched";
  return `${p.designation_official || p.sloid}${platform} — ${state}`;
}
