// The statistics view: totals, match types, per-operator table, problem and filter counts.

import { friendly, getJSON } from "./api.js";
import { downloadExport } from "./curation.js";
import { fmtNumber, h, replace, toast } from "./dom.js";
import { MATCH_COLORS, OTHER_MATCH } from "./legend.js";

const OPERATORS_SHOWN = 15;
const TOTAL_LABELS = {
  atlas_stops: "official stops", osm_elements: "OSM elements", matches: "matches",
  matched_atlas: "matched official stops", unmatched_atlas: "unmatched official stops",
  unmatched_osm: "unmatched OSM elements",
};

function pct(part, whole) {
  return whole ? `${((100 * part) / whole).toFixed(1)} %` : "–";
}

function table(caption, head, rows, cls = "") {
  return h("table", { class: `data ${cls}` },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))));
}

function totals(t = {}) {
  return h("dl", { class: "totals" }, Object.entries(t).map(([k, v]) => [
    h("dt", {}, TOTAL_LABELS[k] || k), h("dd", {}, fmtNumber(v),
      k === "matched_atlas" ? h("span", { class: "muted small" }, ` ${pct(v, t.atlas_stops)}`) : null),
  ]));
}

function matchTypes(types = {}) {
  const total = Object.values(types).reduce((a, b) => a + b, 0);
  const rows = Object.entries(types).sort((a, b) => b[1] - a[1]).map(([t, n]) => [
    h("span", {}, h("span", { class: "swatch swatch-dot", style: `background:${MATCH_COLORS[t] || OTHER_MATCH}` }), t),
    fmtNumber(n), pct(n, total)]);
  return table("Matches by type", ["type", "matches", "share"], rows);
}

function operators(list = []) {
  const rows = (shown) => shown.map((o) => [o.operator, fmtNumber(o.stops), fmtNumber(o.matched), pct(o.matched, o.stops)]);
  const wrap = h("div", {}, table("Per operator", ["operator", "stops", "matched", "rate"],
    rows(list.slice(0, OPERATORS_SHOWN))));
  if (list.length > OPERATORS_SHOWN) {
    wrap.append(h("button", { type: "button", class: "link", onclick: (e) => {
      replace(wrap, table(`Per operator (all ${list.length})`, ["operator", "stops", "matched", "rate"], rows(list)));
      e.target.remove();
    } }, `Show all ${list.length} operators`));
  }
  return wrap;
}

function problems(p = {}) {
  const byTP = p.by_type_priority || {};
  const rows = Object.entries(byTP).filter(([, c]) => Object.values(c).some(Boolean))
    .map(([t, c]) => [t, fmtNumber(c["1"]), fmtNumber(c["2"]), fmtNumber(c["3"]), fmtNumber(p.by_type?.[t])]);
  return table(`Problems (${fmtNumber(p.total)})`, ["type", "P1", "P2", "P3", "all"], rows);
}

function filters(counts = {}) {
  const rows = Object.entries(counts).map(([k, v]) => [k.replaceAll("_", " "), fmtNumber(v)]);
  return rows.length ? table("Preprocess filters", ["filter", "rows"], rows) : null;
}

async function exportCuration() {
  try {
    await downloadExport();
    toast("Curation export downloaded.", "ok");
  } catch (err) {
    toast(friendly(err, "a curation export"), "error");
  }
}

function rowCounts(rows = {}) {
  const list = Object.entries(rows).map(([k, v]) => [k, fmtNumber(v)]);
  return list.length ? table("Rows read by preprocess", ["frame", "rows"], list) : null;
}

/** Load /api/stats into `el`. */
export async function showStats(el) {
  replace(el, h("p", { class: "muted" }, "Loading statistics…"));
  try {
    const doc = await getJSON("/api/stats");
    replace(el,
      h("p", { class: "muted small" }, `Snapshot ${doc.snapshot}`),
      totals(doc.totals), matchTypes(doc.match_types), problems(doc.problems), operators(doc.operators),
      // precompute nests the ATLAS filter counts under preprocess.atlas; older docs had them on top.
      filters(Object.keys(doc.filter_counts || {}).length ? doc.filter_counts : doc.preprocess?.atlas?.filter_counts),
      rowCounts(doc.preprocess?.rows),
      h("p", {}, h("button", { type: "button", onclick: exportCuration }, "Download the curation export")));
  } catch (err) {
    replace(el, h("p", { class: "notice notice-error" }, friendly(err, "statistics")));
  }
}
