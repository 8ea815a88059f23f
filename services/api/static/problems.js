// The problem list: type and priority filters, paging, and a link to each problem's stop.

import { friendly, getJSON } from "./api.js";
import { fmtNumber, h, osmUrl, replace } from "./dom.js";

// precompute.problems.PROBLEM_TYPES, in its order.
export const PROBLEM_TYPES = [
  "distance", "unmatched", "attributes", "duplicates", "contradicts_route_matching",
  "route_unmatched", "route_metadata", "route_membership", "route_sequence", "route_direction",
];
const PAGE = 50;

/** A problem's details (jsonb: an object, or a JSON string) as short "key: value" text. */
export function summarize(details, max = 140) {
  let d = details;
  if (typeof d === "string") {
    try { d = JSON.parse(d); } catch { return d.slice(0, max); }
  }
  if (!d || typeof d !== "object") return "";
  // A detector's own sentence comes first; the other fields follow, empty ones left out.
  const { message, ...rest } = d;
  const fields = Object.entries(rest).filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`);
  const text = [message, ...fields].filter(Boolean).join(" · ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The priority badge used wherever a problem is listed. */
export function priorityBadge(priority) {
  return h("span", { class: `badge prio prio-${priority}`, title: `priority ${priority} (1 is the most severe)` },
    `P${priority}`);
}

export class ProblemList {
  /** Render into `el`; `onOpen(sloid)` opens a problem's official stop. */
  constructor(el, onOpen) {
    this.onOpen = onOpen;
    this.offset = 0;
    this.type = h("select", { id: "problem-type", onchange: () => this.load(0) },
      h("option", { value: "" }, "all types"), PROBLEM_TYPES.map((t) => h("option", { value: t }, t)));
    this.priority = h("select", { id: "problem-priority", onchange: () => this.load(0) },
      h("option", { value: "" }, "all priorities"), [1, 2, 3].map((p) => h("option", { value: p }, `priority ${p}`)));
    this.list = h("ol", { class: "result-list problems" });
    this.pager = h("div", { class: "pager" });
    replace(el,
      h("div", { class: "filters" },
        h("label", { for: "problem-type" }, "Type "), this.type,
        h("label", { for: "problem-priority" }, "Priority "), this.priority),
      this.pager, this.list);
  }

  /** Load one page starting at `offset`. */
  async load(offset = this.offset) {
    this.offset = offset;
    replace(this.list, h("li", { class: "muted" }, "Loading problems…"));
    try {
      const doc = await getJSON("/api/problems", {
        problem_type: this.type.value, priority: this.priority.value, limit: PAGE, offset,
      });
      this.show(doc);
    } catch (err) {
      replace(this.list, h("li", { class: "notice notice-error" }, friendly(err, "problems")));
      replace(this.pager);
    }
  }

  show(doc) {
    if (!doc.items.length) replace(this.list, h("li", { class: "muted" }, "No problem matches these filters."));
    else replace(this.list, doc.items.map((p) => this.item(p)));
    const last = Math.min(this.offset + PAGE, doc.total);
    replace(this.pager,
      h("button", { type: "button", disabled: this.offset === 0, onclick: () => this.load(Math.max(0, this.offset - PAGE)) }, "‹ Previous"),
      h("span", { class: "muted" }, doc.total ? ` ${fmtNumber(this.offset + 1)}–${fmtNumber(last)} of ${fmtNumber(doc.total)} ` : " "),
      h("button", { type: "button", disabled: last >= doc.total, onclick: () => this.load(this.offset + PAGE) }, "Next ›"));
  }

  item(p) {
    let target = h("span", { class: "muted" }, "route-level");
    if (p.sloid) target = h("button", { type: "button", class: "link", onclick: () => this.onOpen(p.sloid) }, p.sloid);
    else if (p.osm_node_id) target = h("a", { href: osmUrl(p.osm_node_id), target: "_blank", rel: "noopener" }, `OSM ${p.osm_node_id}`);
    return h("li", {},
      h("div", {}, priorityBadge(p.priority), " ", h("strong", {}, p.problem_type), " · ", target),
      h("div", { class: "muted small" }, summarize(p.details)));
  }
}
