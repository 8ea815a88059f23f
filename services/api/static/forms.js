// Curation forms in the stop view: problem solution, manual match / unmatch, notes, history.

import { friendly } from "./api.js";
import {
  addManualMatch, addNote, getSolution, listHistory, listManualMatches, listNotes, putSolution,
  removeManualMatch, saveAuthor, savedAuthor,
} from "./curation.js";
import { fmtTime, h, replace, toast } from "./dom.js";

export const SOLUTION_STATUSES = ["open", "in_progress", "solved", "false_positive", "wont_fix"];
let uid = 0;

/** A labelled control; ids are unique so that every label points at its own field. */
function labelled(text, control) {
  control.id = `f${++uid}`;
  return h("div", { class: "field" }, h("label", { for: control.id }, text), control);
}

/** Remember the author and fill it into the other, still empty, author fields on the page. */
function rememberAuthor(author) {
  saveAuthor(author);
  for (const input of document.querySelectorAll("input[name=author]")) {
    if (!input.value) input.value = author;
  }
}

function authorInput() {
  return h("input", { type: "text", name: "author", value: savedAuthor(), required: true, autocomplete: "name" });
}

/** Run `action`, tell the user how it went, and refresh on success. */
async function submit(form, action, done, what, changed) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await action();
    toast(`${what} saved.`, "ok");
    await done();
    changed?.();
  } catch (err) {
    toast(friendly(err, what.toLowerCase()), "error");
  } finally {
    button.disabled = false;
  }
}

/** Placeholder shown while a curation list loads, replaced by `fill()` or a friendly error. */
async function loadInto(el, fill, what) {
  replace(el, h("p", { class: "muted small" }, `Loading ${what}…`));
  try {
    await fill();
  } catch (err) {
    replace(el, h("p", { class: "notice notice-muted small" }, friendly(err, what)));
  }
}

/** The solution form of one problem, filled with its recorded solution. */
export function solutionForm(problem, changed) {
  const status = h("select", { name: "status" }, SOLUTION_STATUSES.map((s) => h("option", { value: s }, s.replace("_", " "))));
  const text = h("textarea", { name: "text", rows: 2, placeholder: "What was done, or why not" });
  const author = authorInput();
  const state = h("div", { class: "muted small" });
  const form = h("form", { class: "solution" },
    h("div", { class: "row" }, labelled("Status", status), labelled("Author", author)),
    labelled("Solution", text), h("div", { class: "row" }, h("button", { type: "submit" }, "Save solution"), state));
  const load = () => loadInto(state, async () => {
    const sol = await getSolution(problem.problem_id);
    if (sol) {
      // A status this page does not list yet is still shown as recorded.
      if (sol.status && !SOLUTION_STATUSES.includes(sol.status)) status.append(h("option", { value: sol.status }, sol.status));
      status.value = sol.status ?? "open";
      text.value = sol.text ?? sol.solution ?? "";
      replace(state, `Recorded by ${sol.author ?? "?"} · ${fmtTime(sol.updated_at ?? sol.created_at)}`);
    } else {
      replace(state, "No solution recorded yet.");
    }
  }, "problem solutions");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(form, () => putSolution(problem.problem_id,
      { status: status.value, text: text.value.trim(), author: author.value.trim() }), load, "Solution", changed);
  });
  load();
  return form;
}

/** The manual match / unmatch form and the stop's recorded decisions; returns {el, setOsmId}. */
export function manualMatchSection(sloid, changed) {
  const osmId = h("input", { type: "text", name: "osm_id", required: true, placeholder: "123 or way_123" });
  const action = h("select", { name: "action" },
    h("option", { value: "match" }, "match (pin this pair)"), h("option", { value: "unmatch" }, "unmatch (forbid this pair)"));
  const note = h("input", { type: "text", name: "note", placeholder: "optional" });
  const author = authorInput();
  const list = h("div", { class: "decisions" });
  const form = h("form", { class: "manual" },
    h("p", { class: "muted small" }, "Tip: click an OSM square on the map to fill in its id (Shift+click where it hides under the stop)."),
    h("div", { class: "row" }, labelled("OSM id", osmId), labelled("Action", action)),
    h("div", { class: "row" }, labelled("Note", note), labelled("Author", author)),
    h("button", { type: "submit" }, "Save decision"));
  const refresh = () => loadInto(list, async () => {
    const items = await listManualMatches(sloid);
    replace(list, items.length ? h("ul", { class: "plain" }, items.map((d) => decisionItem(d, () => {
      refresh();
      changed?.();
    })))
      : h("p", { class: "muted small" }, "No manual decision for this stop."));
  }, "manual matches");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(form, () => addManualMatch({
      sloid, osm_id: osmId.value.trim(), action: action.value, author: author.value.trim(), note: note.value.trim(),
    }), refresh, "Decision", changed);
  });
  refresh();
  const setOsmId = (id, act = null) => {
    osmId.value = id;
    if (act) action.value = act;
    osmId.focus();
  };
  return { el: h("div", {}, list, form), setOsmId };
}

function decisionItem(d, refresh) {
  const remove = h("button", { type: "button", class: "small", onclick: async () => {
    try {
      await removeManualMatch(d);
      toast("Decision withdrawn.", "ok");
      refresh();
    } catch (err) {
      toast(friendly(err, "withdrawing decisions"), "error");
    }
  } }, "Withdraw");
  return h("li", {}, h("strong", {}, d.action), ` ${d.osm_id} · ${d.author ?? "?"} · ${fmtTime(d.created_at)} `,
    d.note ? h("em", {}, d.note) : null, " ", remove);
}

/** The notes about a stop and a form to add one. */
export function notesSection(sloid, changed) {
  const list = h("div", {});
  const text = h("textarea", { name: "text", rows: 2, required: true });
  const author = authorInput();
  const form = h("form", { class: "note" }, labelled("New note", text),
    h("div", { class: "row" }, labelled("Author", author), h("button", { type: "submit" }, "Add note")));
  const refresh = () => loadInto(list, async () => {
    const notes = await listNotes(sloid);
    replace(list, notes.length ? h("ul", { class: "plain" }, notes.map((n) => h("li", {},
      h("div", {}, n.text ?? n.note), h("div", { class: "muted small" }, `${n.author ?? "?"} · ${fmtTime(n.created_at)}`))))
      : h("p", { class: "muted small" }, "No notes yet."));
  }, "notes");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(form, async () => {
      await addNote({ sloid, text: text.value.trim(), author: author.value.trim() });
      text.value = "";
    }, refresh, "Note", changed);
  });
  refresh();
  return h("div", {}, list, form);
}

/** What users changed about a stop; returns {el, refresh}. */
export function historySection(sloid) {
  const el = h("div", {});
  const refresh = () => loadInto(el, async () => {
    const items = await listHistory(sloid);
    replace(el, items.length ? h("ol", { class: "plain history" }, items.map((e) => h("li", {},
      h("span", { class: "muted small" }, fmtTime(e.at ?? e.created_at)), " ",
      h("strong", {}, e.kind ?? e.action ?? e.event ?? "change"), " ", e.author ? `by ${e.author} ` : "",
      e.summary ?? e.text ?? "")))
      : h("p", { class: "muted small" }, "No change recorded."));
  }, "history");
  refresh();
  return { el, refresh };
}
