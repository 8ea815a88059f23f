// Entry point: wires the map, overlay, status bar, side panel and deep links together.

import { friendly } from "./api.js";
import { StopDetail } from "./detail.js";
import { debounce, replace, toast } from "./dom.js";
import { formatHash, parseHash } from "./hash.js";
import { ViewportLayers, loadMatchLinks, loadPriorities } from "./layers.js";
import { legend } from "./legend.js";
import { SlippyMap } from "./map.js";
import { describe, Overlay } from "./overlay.js";
import { ProblemList } from "./problems.js";
import { SearchBox } from "./search.js";
import { showStats } from "./stats.js";
import { StatusBar } from "./status.js";

const SWITZERLAND = { lon: 8.23, lat: 46.82, zoom: 8 };
const STOP_ZOOM = 17; // close enough to tell platforms apart

const $ = (id) => document.getElementById(id);
const initial = parseHash(location.hash);
const view = initial.map || SWITZERLAND;
const map = new SlippyMap($("map"), { center: [view.lon, view.lat], zoom: view.zoom });
const overlay = new Overlay(map, pick);
const layers = new ViewportLayers(map, overlay, notice);
let currentStop = null;
let centreOnLoad = false; // move the map to the stop being opened, even if it is on screen
let problemsLoaded = false; // the problem list loads when its tab is first shown

const key = legend();
key.open = $("map").clientHeight >= 640; // on a short screen the legend starts folded
$("map").append(key);

/** The map's one-line notice (feature counts, "zoom in", errors). */
function notice(text, kind = "info") {
  replace($("map-notice"), text);
  $("map-notice").className = `map-notice notice-${kind}`;
}

/** Show one side-panel tab and focus it when asked. */
function showTab(name, focus = false) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (name === "stats") showStats($("panel-stats"));
  if (name === "problems" && !problemsLoaded) {
    problemsLoaded = true;
    problems.load(0);
  }
}

/** Mirror the view in the hash; `push` makes a history entry (opening a stop), panning does not. */
function writeHash(push = false) {
  const c = map.center;
  const hash = formatHash({ map: { zoom: map.zoom, lat: c.lat, lon: c.lon }, stop: currentStop });
  if (hash === location.hash) return;
  if (push) history.pushState(null, "", hash);
  else history.replaceState(null, "", hash);
}

/** Open a stop in the side panel; `centre` also moves the map to it. */
function openStop(sloid, { centre = false, push = true } = {}) {
  currentStop = sloid;
  centreOnLoad = centre;
  $("tab-stop").hidden = false;
  showTab("stop");
  detail.open(sloid);
  writeHash(push);
}

function closeStop({ push = true } = {}) {
  currentStop = null;
  overlay.select(null);
  $("tab-stop").hidden = true;
  showTab("search", true);
  writeHash(push);
}

function stopLoaded({ stop, matches }) {
  overlay.select({ sloid: stop.sloid, lon: stop.lon, lat: stop.lat, matches });
  const [x, y] = map.toScreen(stop.lon, stop.lat);
  const offScreen = x < 0 || y < 0 || x > map.width || y > map.height;
  if (centreOnLoad || offScreen) map.setView(stop.lon, stop.lat, Math.max(map.zoom, STOP_ZOOM));
}

/** A marker was clicked on the map. */
function pick(kind, feature) {
  const p = feature.properties;
  if (kind === "stop") {
    openStop(p.sloid);
  } else if (currentStop) {
    detail.pickOsm(p.osm_id);
    showTab("stop");
  } else {
    notice(`${describe(kind, p)}. Open an official stop first to match it.`, "info");
  }
}

/** Load what the viewport endpoints leave out: problem priorities and every match's line. */
async function refreshSnapshotLayers() {
  loadMatchLinks().then((links) => overlay.setLinks(links))
    // Without it each stop still gets the line to its nearest match (from /api/stops).
    .catch((err) => console.warn("matches unavailable", err));
  try {
    overlay.setPriorities(await loadPriorities());
  } catch (err) {
    // Before the first publication the map notice already says so: no second message.
    const text = err.status === 503 ? "" : friendly(err, "problems");
    if (text) toast(`Problem rings unavailable: ${text}`, "warn");
  }
}

/** A new snapshot went live: reload everything that shows published data. */
function published() {
  toast("A new snapshot was published; the map is refreshed.", "ok");
  layers.load();
  refreshSnapshotLayers();
  problemsLoaded = !$("panel-problems").hidden;
  if (problemsLoaded) problems.load(0);
  if (!$("panel-stats").hidden) showStats($("panel-stats"));
  if (currentStop) detail.markStale(); // re-rendering now would drop what the user is typing
}

const detail = new StopDetail($("panel-stop"), {
  onLoaded: stopLoaded,
  onClose: closeStop,
  onCentre: (stop) => map.setView(stop.lon, stop.lat, Math.max(map.zoom, STOP_ZOOM)),
});
const problems = new ProblemList($("panel-problems"), (sloid) => openStop(sloid, { centre: true }));
new SearchBox($("search"), (item) => openStop(item.sloid, { centre: true }));
new StatusBar($("status"), { runButton: $("run-now"), forceBox: $("run-force"), live: $("status-live") }, published).start();

function bindTabs() {
  const tabs = () => [...document.querySelectorAll("[role=tab]")].filter((t) => !t.hidden);
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
    tab.addEventListener("keydown", (e) => {
      const list = tabs();
      const i = list.indexOf(tab);
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      showTab(list[(i + step + list.length) % list.length].dataset.tab, true);
      e.preventDefault();
    });
  }
}

function bindShortcuts() {
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName);
    if (e.key === "/" && !typing) {
      showTab("search");
      $("search-input").focus();
      e.preventDefault();
    } else if (e.key === "Escape" && currentStop && !typing) {
      closeStop();
    }
  });
  // Back/forward or an edited address (both fire popstate): follow the hash without a new entry.
  window.addEventListener("popstate", () => {
    const next = parseHash(location.hash);
    if (next.stop && next.stop !== currentStop) openStop(next.stop, { push: false });
    if (!next.stop && currentStop) closeStop({ push: false });
    if (next.map) map.setView(next.map.lon, next.map.lat, next.map.zoom);
  });
}

// Debounced: Chrome ignores history.replaceState beyond about 100 calls in 10 s, and a drag moves often.
map.on("move", debounce(() => writeHash(), 200));
bindTabs();
bindShortcuts();
layers.load();
refreshSnapshotLayers();
if (initial.stop) openStop(initial.stop, { centre: !initial.map, push: false });
else showTab("search");
writeHash();
