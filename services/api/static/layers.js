// Loading the viewport's stops and OSM elements (debounced, capped) and the problem priorities.

import { friendly, getJSON } from "./api.js";
import { debounce } from "./dom.js";

export const VIEW_LIMIT = 2000; // per layer and request; the API allows up to 5000
const PAGE_SIZE = 5000; // the API's largest page
const MAX_PAGES = 40; // 200,000 rows: far above the Swiss data set (about 60,000 matches)
const MOVE_DEBOUNCE_MS = 300;

export class ViewportLayers {
  /** Keep `overlay` filled with what `map` shows; report to `notice(text, kind)`. */
  constructor(map, overlay, notice) {
    this.map = map;
    this.overlay = overlay;
    this.notice = notice;
    this.controller = null;
    this.refresh = debounce(() => this.load(), MOVE_DEBOUNCE_MS);
    map.on("move", this.refresh);
  }

  /** Fetch both layers for the current bbox, cancelling a request still in flight. */
  async load() {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const bbox = this.map.bounds().map((v) => v.toFixed(6)).join(",");
    const params = { bbox, limit: VIEW_LIMIT };
    try {
      const [stops, osm] = await Promise.all([
        getJSON("/api/stops", params, { signal: controller.signal }),
        getJSON("/api/osm", params, { signal: controller.signal }),
      ]);
      this.overlay.setFeatures(stops.features, osm.features);
      this.report(stops.features.length, osm.features.length);
    } catch (err) {
      const text = friendly(err, "map data");
      if (text) this.notice(text, "error");
    }
  }

  report(nStops, nOsm) {
    const capped = nStops >= VIEW_LIMIT || nOsm >= VIEW_LIMIT;
    const counts = `${nStops.toLocaleString("en-US")} official stops, ${nOsm.toLocaleString("en-US")} OSM elements`;
    if (capped) {
      this.notice(`${counts}: only the first ${VIEW_LIMIT.toLocaleString("en-US")} per layer are shown. ` +
        "Zoom in to see all.", "warn");
    } else {
      this.notice(nStops || nOsm ? counts : "Nothing in this area.", "info");
    }
  }
}

/** Every item of a paged list endpoint ({total, items}), one large page after another. */
async function readAll(path, params = {}) {
  const items = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const doc = await getJSON(path, { ...params, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    items.push(...doc.items);
    if (items.length >= doc.total || doc.items.length === 0) break;
  }
  return items;
}

/** sloid -> most severe priority of its problems (1 is the most severe). */
export async function loadPriorities() {
  const worst = new Map();
  for (const p of await readAll("/api/problems")) {
    if (!p.sloid) continue;
    const known = worst.get(p.sloid);
    if (known === undefined || p.priority < known) worst.set(p.sloid, p.priority);
  }
  return worst;
}

/** sloid -> every osm_id it is matched to (/api/stops carries only the nearest one). */
export async function loadMatchLinks() {
  const links = new Map();
  for (const m of await readAll("/api/matches")) {
    const list = links.get(m.sloid);
    if (list) list.push(m.osm_id);
    else links.set(m.sloid, [m.osm_id]);
  }
  return links;
}
