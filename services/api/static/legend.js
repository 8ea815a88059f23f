// Marker colours by match state and problem priority, and the legend that explains them.

import { h } from "./dom.js";

// One colour per matcher stage (matcher.confidence.BASE lists them); unknown stages fall to OTHER.
export const MATCH_COLORS = {
  manual: "#e7298a",
  exact: "#1a9850",
  trio: "#66bd63",
  name: "#2166ac",
  normalized_name: "#67a9cf",
  route: "#762a83",
  local_ref: "#35978f",
  proximity: "#a6d96a",
  nearest: "#bf812d",
};
export const OTHER_MATCH = "#8c8c8c";
export const UNMATCHED_STOP = "#d7191c";
export const OSM_MATCHED = "#525252";
export const OSM_UNMATCHED = "#ff7f00";
export const LINK = "rgba(40, 40, 40, 0.55)";
// Rings around stops with problems, P1 the most severe.
export const PRIORITY_COLORS = { 1: "#c51b7d", 2: "#f46d43", 3: "#fdd835" };

/** The fill colour of an official stop from its (best) match type. */
export function stopColor(matchType) {
  if (!matchType) return UNMATCHED_STOP;
  return MATCH_COLORS[matchType] || OTHER_MATCH;
}

function swatch(shape, color, ring) {
  const style = `background:${color};` + (ring ? `border-color:${ring}` : "");
  return h("span", { class: `swatch swatch-${shape}`, style, "aria-hidden": "true" });
}

function row(shape, color, label, ring) {
  return h("li", {}, swatch(shape, color, ring), label);
}

/** The legend as a collapsible <details> element; `present` limits match types to those seen. */
export function legend(present = null) {
  const types = Object.keys(MATCH_COLORS).filter((t) => !present || present.has(t));
  return h("details", { class: "legend", open: true },
    h("summary", {}, "Legend"),
    h("ul", {},
      h("li", { class: "legend-head" }, "Official stops, matched by"),
      types.map((t) => row("dot", MATCH_COLORS[t], t.replace("_", " "))),
      row("dot", OTHER_MATCH, "other stage"),
      row("dot", UNMATCHED_STOP, "unmatched"),
      h("li", { class: "legend-head" }, "Problems (ring)"),
      [1, 2, 3].map((p) => row("ring", "transparent", `priority ${p}`, PRIORITY_COLORS[p])),
      h("li", { class: "legend-head" }, "OSM elements"),
      row("square", OSM_MATCHED, "matched"),
      row("square", "#fff", "unmatched", OSM_UNMATCHED),
      h("li", {}, h("span", { class: "swatch swatch-line", "aria-hidden": "true" }), "stop → its OSM match"),
    ));
}
