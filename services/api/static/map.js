// A small slippy map: OSM raster tiles under a canvas overlay, pan by drag, zoom by wheel/keys/buttons.

import { h } from "./dom.js";
import { metresPerPixel, project, tilesFor, unproject } from "./mercator.js";

const TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const PAN_STEP_PX = 120;
const CLICK_SLOP_PX = 4; // a drag shorter than this is a click
const WHEEL_THRESHOLD = 60; // accumulated wheel delta per zoom step (trackpads send small deltas)

export class SlippyMap {
  /** Build the map inside `container`, centred on [lon, lat] at an integer zoom. */
  constructor(container, { center, zoom, minZoom = 2, maxZoom = 19 }) {
    this.container = container;
    this.center = { lon: center[0], lat: center[1] };
    this.zoom = zoom;
    this.minZoom = minZoom;
    this.maxZoom = maxZoom;
    this.listeners = { move: [], draw: [], click: [], hover: [], leave: [] };
    this.tiles = new Map(); // key "z/tx/ty" -> <img>
    this.tilesFailed = 0;
    this.build();
    this.bindPointer();
    this.bindKeys();
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  build() {
    this.container.classList.add("slippy");
    this.container.tabIndex = 0;
    this.container.setAttribute("role", "application");
    this.container.setAttribute("aria-label", "Map: arrow keys pan, + and - zoom");
    this.tileLayer = h("div", { class: "slippy-tiles", "aria-hidden": "true" });
    this.canvas = h("canvas", { class: "slippy-overlay" });
    const zoomIn = h("button", { type: "button", title: "Zoom in (+)", onclick: () => this.zoomBy(1) }, "+");
    const zoomOut = h("button", { type: "button", title: "Zoom out (−)", onclick: () => this.zoomBy(-1) }, "−");
    this.scale = h("div", { class: "slippy-scale" });
    this.attribution = h("div", { class: "slippy-attribution" }, "© ",
      h("a", { href: "https://www.openstreetmap.org/copyright", target: "_blank", rel: "noopener" },
        "OpenStreetMap contributors"));
    this.container.append(this.tileLayer, this.canvas, h("div", { class: "slippy-zoom" }, zoomIn, zoomOut),
      this.scale, this.attribution);
  }

  /** Subscribe to "move" (view changed), "draw" (ctx, map), "click"/"hover" (x, y, event), "leave". */
  on(event, fn) {
    this.listeners[event].push(fn);
  }

  emit(event, ...args) {
    for (const fn of this.listeners[event]) fn(...args);
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    this.width = this.container.clientWidth;
    this.height = this.container.clientHeight;
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.changed();
  }

  /** The world pixel of the top-left screen corner. */
  origin() {
    const c = project(this.center.lon, this.center.lat, this.zoom);
    return { x: c.x - this.width / 2, y: c.y - this.height / 2 };
  }

  /** Longitude/latitude -> screen pixel [x, y] inside the container. */
  toScreen(lon, lat) {
    const o = this.origin();
    const p = project(lon, lat, this.zoom);
    return [p.x - o.x, p.y - o.y];
  }

  /** Screen pixel -> {lon, lat}. */
  fromScreen(x, y) {
    const o = this.origin();
    return unproject(o.x + x, o.y + y, this.zoom);
  }

  /** The visible [minlon, minlat, maxlon, maxlat], clamped to valid degrees. */
  bounds() {
    const nw = this.fromScreen(0, 0);
    const se = this.fromScreen(this.width, this.height);
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
    return [clamp(nw.lon, 180), clamp(se.lat, 85), clamp(se.lon, 180), clamp(nw.lat, 85)];
  }

  /** Move to a centre and (optionally) a zoom. */
  setView(lon, lat, zoom = this.zoom) {
    this.center = { lon, lat };
    this.zoom = Math.max(this.minZoom, Math.min(this.maxZoom, Math.round(zoom)));
    this.changed();
  }

  /** Zoom by whole steps, keeping the geographic point under screen pixel (x, y) still. */
  zoomBy(steps, x = this.width / 2, y = this.height / 2) {
    const zoom = Math.max(this.minZoom, Math.min(this.maxZoom, this.zoom + steps));
    if (zoom === this.zoom) return;
    const anchor = this.fromScreen(x, y);
    const a = project(anchor.lon, anchor.lat, zoom);
    // Put the anchor back under the cursor: the new centre is offset from it by the same pixels.
    this.center = unproject(a.x - x + this.width / 2, a.y - y + this.height / 2, zoom);
    this.zoom = zoom;
    this.changed();
  }

  /** Pan by screen pixels. */
  panBy(dx, dy) {
    const c = project(this.center.lon, this.center.lat, this.zoom);
    this.center = unproject(c.x + dx, c.y + dy, this.zoom);
    this.changed();
  }

  /** Ask for a redraw of the overlay only (data changed, view did not). */
  redraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.drawOverlay();
    });
  }

  changed() {
    this.renderTiles();
    this.renderScale();
    this.drawOverlay();
    this.emit("move", this);
  }

  renderTiles() {
    const o = this.origin();
    const wanted = new Set();
    for (const t of tilesFor(o.x, o.y, this.width, this.height, this.zoom)) {
      const key = `${t.z}/${Math.round(t.left + o.x)}/${t.y}`;
      wanted.add(key);
      let img = this.tiles.get(key);
      if (!img) {
        img = this.makeTile(t);
        this.tiles.set(key, img);
        this.tileLayer.append(img);
      }
      img.style.transform = `translate(${Math.round(t.left)}px, ${Math.round(t.top)}px)`;
    }
    for (const [key, img] of this.tiles) {
      if (!wanted.has(key)) {
        img.remove();
        this.tiles.delete(key);
      }
    }
  }

  makeTile(t) {
    const img = h("img", { class: "slippy-tile", alt: "", draggable: "false", decoding: "async" });
    // Offline or blocked tiles hide themselves: the map keeps working on the plain background.
    img.addEventListener("error", () => {
      img.classList.add("failed");
      this.tilesFailed += 1;
      this.attribution.title = "Map tiles could not be loaded (offline?): markers are drawn on a plain background.";
      this.container.classList.add("tiles-offline");
    });
    img.addEventListener("load", () => img.classList.add("loaded"));
    img.src = TILE_URL.replace("{z}", t.z).replace("{x}", t.x).replace("{y}", t.y);
    return img;
  }

  renderScale() {
    const mpp = metresPerPixel(this.center.lat, this.zoom);
    // The largest 1-2-5 step that fits in about 100 px.
    const target = mpp * 100;
    const exp = 10 ** Math.floor(Math.log10(target));
    const step = [5, 2, 1].map((m) => m * exp).find((v) => v <= target) || exp;
    this.scale.style.width = `${Math.round(step / mpp)}px`;
    this.scale.textContent = step >= 1000 ? `${step / 1000} km` : `${step} m`;
  }

  drawOverlay() {
    const ctx = this.canvas.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    this.emit("draw", ctx, this);
  }

  bindPointer() {
    let drag = null;
    const local = (e) => {
      const r = this.container.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      this.canvas.setPointerCapture(e.pointerId);
      drag = { x: e.clientX, y: e.clientY, moved: 0 };
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!drag) {
        this.emit("hover", ...local(e), e);
        return;
      }
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      drag.moved += Math.abs(dx) + Math.abs(dy);
      drag.x = e.clientX;
      drag.y = e.clientY;
      if (drag.moved > CLICK_SLOP_PX) this.panBy(-dx, -dy);
    });
    this.canvas.addEventListener("pointerup", (e) => {
      if (drag && drag.moved <= CLICK_SLOP_PX) this.emit("click", ...local(e), e);
      drag = null;
    });
    this.canvas.addEventListener("pointercancel", () => { drag = null; });
    this.canvas.addEventListener("pointerleave", () => this.emit("leave"));
    this.canvas.addEventListener("dblclick", (e) => this.zoomBy(e.shiftKey ? -1 : 1, ...local(e)));
    let wheel = 0;
    this.canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      wheel += e.deltaMode === 1 ? e.deltaY * 20 : e.deltaY;
      if (Math.abs(wheel) < WHEEL_THRESHOLD) return;
      this.zoomBy(wheel < 0 ? 1 : -1, ...local(e));
      wheel = 0;
    }, { passive: false });
  }

  bindKeys() {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    this.container.addEventListener("keydown", (e) => {
      if (e.target !== this.container) return; // keys typed into the zoom buttons stay theirs
      if (moves[e.key]) {
        const [dx, dy] = moves[e.key];
        this.panBy(dx * PAN_STEP_PX, dy * PAN_STEP_PX);
      } else if (e.key === "+" || e.key === "=") {
        this.zoomBy(1);
      } else if (e.key === "-" || e.key === "_") {
        this.zoomBy(-1);
      } else {
        return;
      }
      e.preventDefault();
    });
  }
}
