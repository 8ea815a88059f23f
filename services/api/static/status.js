// The status bar: polls /api/status every 2 s and offers the admin "Run now" trigger.

import { ApiError, adminToken, forgetAdminToken, friendly, getJSON, request } from "./api.js";
import { fmtDuration, fmtNumber, fmtTime, h, replace, toast } from "./dom.js";

const POLL_MS = 2000;

function progress(s) {
  const total = s.progress_total || 0;
  const done = s.progress_done || 0;
  if (s.state !== "running" || !total) return null;
  const pct = Math.min(100, Math.round((100 * done) / total));
  const eta = s.eta_seconds === null || s.eta_seconds === undefined ? "ETA –" : `ETA ${fmtDuration(s.eta_seconds)}`;
  return h("span", { class: "status-progress" },
    h("progress", { max: total, value: done, "aria-label": "phase progress" }),
    h("span", { class: "status-count" }, `${fmtNumber(done)} / ${fmtNumber(total)} (${pct} %) · ${eta}`));
}

function services(map = {}) {
  return h("span", { class: "status-services", "aria-label": "services" },
    Object.entries(map).map(([name, v]) => h("span", {
      class: `svc ${v.alive ? "svc-up" : "svc-down"}`,
      title: `${name}: ${v.alive ? `${v.instances} alive` : "not seen"} · last beat ${fmtTime(v.last_seen)}`,
    }, h("span", { class: "dot", "aria-hidden": "true" }), name, h("span", { class: "sr-only" }, v.alive ? " up" : " down"))));
}

function deadLetters(queues = {}) {
  const stuck = Object.entries(queues).filter(([name, q]) => name.includes("dlq") && q.messages > 0);
  if (!stuck.length) return null;
  const n = stuck.reduce((sum, [, q]) => sum + q.messages, 0);
  return h("span", { class: "badge badge-warn", title: stuck.map(([name, q]) => `${name}: ${q.messages}`).join("\n") },
    `${n} dead-lettered`);
}

/** This run's phases with their durations: "preprocess 42 s ✓ · matching 12 s …". */
function phases(log = []) {
  if (!log.length) return null;
  const now = Date.now();
  const steps = log.map((e) => {
    const end = e.finished_at ? Date.parse(e.finished_at) : now;
    const took = fmtDuration((end - Date.parse(e.started_at)) / 1000);
    return h("span", { class: e.finished_at ? "phase-done" : "phase-current" },
      `${e.phase} ${took} ${e.finished_at ? "✓" : "…"}`);
  });
  return h("span", { class: "status-phases", "aria-label": "phases of this run" },
    steps.flatMap((el, i) => (i ? [" · ", el] : [el])));
}

function field(label, value, extra = {}) {
  return h("span", { class: "status-field", ...extra }, h("span", { class: "label" }, label), " ", value);
}

/** Everything the bar shows for one status document. */
export function renderStatus(s) {
  const running = s.state === "running";
  return [
    h("span", { class: `badge state-${s.state}`, id: "status-state" }, s.state),
    s.blocking ? h("span", { class: "badge badge-publishing", title: "the new snapshot is being swapped in" }, "publishing") : null,
    s.phase ? field("phase", s.phase) : null,
    s.message ? h("span", { class: "status-message", title: s.message }, s.message) : null,
    progress(s),
    running ? field("elapsed", fmtDuration(s.elapsed_seconds)) : null,
    phases(s.phase_log),
    field("last success", fmtTime(s.last_success_at)),
    !running && s.next_run_at ? field("next run", fmtTime(s.next_run_at)) : null,
    s.last_error ? field("last error", h("span", { class: "status-error" }, String(s.last_error).slice(0, 120)),
      { title: String(s.last_error) }) : null,
    deadLetters(s.queues),
    services(s.services),
  ];
}

export class StatusBar {
  /** Poll into `el`; call `onPublished()` whenever last_success_at changes. */
  constructor(el, { runButton, forceBox, live }, onPublished) {
    this.el = el;
    this.forceBox = forceBox;
    this.live = live;
    this.onPublished = onPublished;
    this.lastSuccess = undefined;
    this.lastState = "";
    runButton.addEventListener("click", () => this.runNow());
  }

  /** Tell screen readers about state and phase changes only, not every 2-second refresh. */
  announce(s) {
    const state = [s.state, s.phase].filter(Boolean).join(", ");
    if (state !== this.lastState) this.live.textContent = `Pipeline ${state}`;
    this.lastState = state;
  }

  start() {
    this.poll();
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    // A slow answer must not pile up requests, and a hidden tab need not ask at all.
    if (this.busy || document.hidden) return;
    this.busy = true;
    try {
      const s = await getJSON("/api/status");
      replace(this.el, renderStatus(s));
      this.announce(s);
      if (this.lastSuccess !== undefined && s.last_success_at !== this.lastSuccess) this.onPublished();
      this.lastSuccess = s.last_success_at;
    } catch (err) {
      replace(this.el, h("span", { class: "badge state-failed", id: "status-state" }, "unreachable"),
        h("span", { class: "status-message" }, friendly(err, "a status")));
    } finally {
      this.busy = false;
    }
  }

  /** POST /api/runs with the admin token; explain 401 and 409. */
  async runNow() {
    const token = adminToken();
    if (!token) return;
    try {
      const body = { force: this.forceBox.checked };
      const doc = await request("POST", "/api/runs", { body, headers: { "X-Admin-Token": token } });
      toast(`Run ${doc.run_id} started.`, "ok");
      this.poll();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const run = err.body?.run_id ? ` (run ${err.body.run_id})` : "";
        toast(`A run is already in progress${run}.`, "warn");
      } else {
        if (err instanceof ApiError && err.status === 401) forgetAdminToken();
        toast(friendly(err, "manual runs"), "error");
      }
    }
  }
}
