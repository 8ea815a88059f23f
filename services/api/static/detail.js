// The stop view: one official stop, its matches, its problems with solutions, and curation.

import { friendly, getJSON } from "./api.js";
import { fmtMetres, h, osmUrl, replace } from "./dom.js";
import { historySection, manualMatchSection, notesSection, solutionForm } from "./forms.js";
import { stopColor } from "./legend.js";
import { priorityBadge, summarize } from "./problems.js";

function section(title, ...body) {
  return h("section", { class: "card" }, h("h3", {}, title), body);
}

function facts(stop) {
  const rows = [
    ["sloid", stop.sloid], ["UIC", stop.uic], ["platform", stop.designation], ["operator", stop.operator],
    ["parent", stop.parent_sloid], ["position", `${Number(stop.lat).toFixed(6)}, ${Number(stop.lon).toFixed(6)}`],
  ].filter(([, v]) => v !== null && v !== undefined && v !== "");
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]));
}

export class StopDetail {
  /** Render into `el`; `onLoaded(doc)` shows the stop on the map, `onClose()` leaves the view. */
  constructor(el, { onLoaded, onClose, onCentre }) {
    this.el = el;
    this.onLoaded = onLoaded;
    this.onClose = onClose;
    this.onCentre = onCentre;
    this.sloid = null;
    this.manual = null;
  }

  /** Load and show one stop. */
  async open(sloid) {
    this.sloid = sloid;
    this.manual = null;
    replace(this.el, h("p", { class: "muted" }, `Loading ${sloid}…`));
    try {
      const doc = await getJSON(`/api/stops/${encodeURIComponent(sloid)}`);
      if (this.sloid !== sloid) return; // another stop was opened meanwhile
      this.render(doc);
      this.onLoaded(doc);
    } catch (err) {
      replace(this.el, h("p", { class: "notice notice-error" }, friendly(err, "stop details")), this.closeButton());
    }
  }

  /** A new snapshot went live: offer a reload instead of wiping half-filled forms. */
  markStale() {
    if (!this.sloid || this.el.querySelector(".stale")) return;
    const sloid = this.sloid;
    this.el.prepend(h("p", { class: "notice notice-warn stale", role: "status" },
      "A new snapshot was published. ",
      h("button", { type: "button", class: "small", onclick: () => this.open(sloid) }, "Reload this stop")));
  }

  /** Fill the manual match form with an OSM element picked on the map. */
  pickOsm(osmId) {
    if (this.manual) this.manual.setOsmId(osmId);
  }

  closeButton() {
    return h("button", { type: "button", class: "small", onclick: () => this.onClose() }, "Close");
  }

  render({ stop, matches, problems }) {
    this.history = historySection(stop.sloid);
    const changed = () => this.history.refresh();
    this.manual = manualMatchSection(stop.sloid, changed);
    const best = matches[0]?.match_type;
    replace(this.el,
      h("header", { class: "detail-head" },
        h("span", { class: "swatch swatch-dot", style: `background:${stopColor(best)}`, "aria-hidden": "true" }),
        h("h2", { id: "stop-title", tabindex: "-1" }, stop.designation_official,
          stop.designation ? h("span", { class: "muted" }, ` · platform ${stop.designation}`) : null),
        h("button", { type: "button", class: "small", onclick: () => this.onCentre(stop) }, "Centre map"),
        this.closeButton()),
      facts(stop),
      section(`Matches (${matches.length})`, this.matchTable(matches)),
      section(`Problems (${problems.length})`, problems.length
        ? h("ul", { class: "plain" }, problems.map((p) => this.problemItem(p, changed)))
        : h("p", { class: "muted small" }, "No problem detected.")),
      section("Manual match / unmatch", this.manual.el),
      section("Notes", notesSection(stop.sloid, changed)),
      section("History", this.history.el));
    this.el.querySelector("#stop-title").focus();
  }

  matchTable(matches) {
    if (!matches.length) return h("p", { class: "muted small" }, "Not matched to any OSM element.");
    return h("table", { class: "data" },
      h("thead", {}, h("tr", {}, ["OSM element", "distance", "conf.", "type", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, matches.map((m) => h("tr", {},
        h("td", {}, h("a", { href: osmUrl(m.osm_id), target: "_blank", rel: "noopener" }, m.osm_id),
          m.kind ? h("span", { class: "muted small" }, ` ${m.kind}`) : null,
          h("div", { class: "small" }, m.name ?? "(no name)")),
        h("td", { class: "num" }, fmtMetres(m.distance_m)),
        h("td", { class: "num" }, m.confidence === null || m.confidence === undefined ? "–" : Number(m.confidence).toFixed(2)),
        h("td", {}, h("span", { class: "swatch swatch-dot", style: `background:${stopColor(m.match_type)}` }), m.match_type),
        h("td", {}, h("button", { type: "button", class: "small", title: "Prefill an unmatch decision for this pair",
          onclick: () => this.manual.setOsmId(m.osm_id, "unmatch") }, "Unmatch…"))))));
  }

  problemItem(p, changed) {
    return h("li", { class: "problem" },
      h("div", {}, priorityBadge(p.priority), " ", h("strong", {}, p.problem_type),
        p.osm_node_id ? h("span", { class: "muted small" }, ` · OSM ${p.osm_node_id}`) : null),
      h("div", { class: "muted small" }, summarize(p.details, 400)),
      h("details", {}, h("summary", {}, "Solution"), solutionForm(p, changed)));
  }
}
