// Curation forms in the stop view: problem solution, manual match / unmatch, notes, history.

import { friendly } from "./api.js";
import {
  SOLUTION_STATUSES, addManualMatch, addNote, deleteNote, getSolution, listHistory, listManualMatches,
  listNotes, parseOsmIds, putSolution, removeManualMatch, saveAuthor, savedAuthor,
} from "./curation.js";
import { fmtTime, h, replace, toast } from "./dom.js";

const STATUS_LABELS = {
  open: "open", fixed_in_osm: "fixed in OSM", fixed_in_official: "fixed in the official data",
  wont_fix: "won't fix", false_positive: "false positive",
};
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
  return h("input", { type: "text", name: "author", value: savedAuthor(), required: true, maxlength: 100, autocomplete: "name" });
}

/** The author for a one-click action (withdraw, delete): the form's field, which must be filled. */
function authorFrom(input) {
  const author = input.value.trim();
  if (!author) {
    toast("Enter your name as author first.", "warn");
    input.focus();
  }
  return author;
}

/** Run `action` from `button`; say `ok` or why not (`what` names the feature), then refresh. */
async function submit(button, action, { ok, what, done = null, changed = null }) {
  button.disabled = true;
  try {
    await action();
    toast(ok, "ok");
    await done?.();
    changed?.();
  } catch (err) {
    toast(friendly(err, what), "error");
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
  const status = h("select", { name: "status" }, SOLUTION_STATUSES.map((s) => h("option", { value: s }, STATUS_LABELS[s] ?? s)));
  const text = h("textarea", { name: "text", rows: 2, maxlength: 5000, placeholder: "What was done, or why not" });
  const author = authorInput();
  const state = h("div", { class: "muted small" });
  const save = h("button", { type: "submit" }, "Save solution");
  const form = h("form", { class: "solution" },
    h("div", { class: "row" }, labelled("Status", status), labelled("Author", author)),
    labelled("Solution", text), h("div", { class: "row" }, save, state));
  const load = () => loadInto(state, async () => {
    const sol = await getSolution(problem.problem_id);
    if (!sol) {
      replace(state, "No solution recorded yet.");
      return;
    }
    // A status this page does not list yet is still shown as recorded.
    if (!SOLUTION_STATUSES.includes(sol.status)) status.append(h("option", { value: sol.status }, sol.status));
    status.value = sol.status;
    text.value = sol.text ?? "";
    replace(state, `Recorded by ${sol.author} · ${fmtTime(sol.updated_at ?? sol.created_at)}`,
      // precompute flags a solution whose problem changed or went away since it was written.
      sol.needs_review ? h("div", { class: "notice notice-warn" }, `Needs review: ${sol.review_reason ?? "the problem changed"}`) : null,
      sol.resolved_since_run_id ? h("div", {}, `The problem is gone since run ${sol.resolved_since_run_id}.`) : null);
  }, "problem solutions");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(save, () => putSolution(problem.problem_id,
      { status: status.value, text: text.value.trim(), author: author.value.trim() }),
    { ok: "Solution saved.", what: "problem solutions", done: load, changed });
  });
  load();
  return form;
}

/** The manual match / unmatch form and the stop's recorded decisions; returns {el, setOsmId}. */
export function manualMatchSection(sloid, changed) {
  const osmIds = h("input", { type: "text", name: "osm_ids", required: true, placeholder: "123, way_456" });
  const action = h("select", { name: "action" },
    h("option", { value: "match" }, "match (pin)"), h("option", { value: "unmatch" }, "unmatch (keep apart)"));
  const comment = h("input", { type: "text", name: "comment", maxlength: 2000, placeholder: "optional" });
  const author = authorInput();
  const list = h("div", { class: "decisions" });
  const save = h("button", { type: "submit" }, "Save decision");
  const form = h("form", { class: "manual" },
    h("p", { class: "muted small" }, "Tip: click an OSM square on the map to fill in its id (Shift+click where it hides under the stop)."),
    h("div", { class: "row" }, labelled("OSM ids", osmIds), labelled("Action", action)),
    h("div", { class: "row" }, labelled("Comment", comment), labelled("Author", author)), save);
  const refresh = () => loadInto(list, async () => {
    const items = await listManualMatches(sloid);
    const withdrawn = () => {
      refresh();
      changed?.();
    };
    replace(list, items.length ? h("ul", { class: "plain" }, items.map((d) => decisionItem(d, author, withdrawn)))
      : h("p", { class: "muted small" }, "No manual decision for this stop."));
  }, "manual matches");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(save, () => addManualMatch({
      sloid, osmIds: parseOsmIds(osmIds.value), action: action.value, author: author.value.trim(), comment: comment.value.trim(),
    }), { ok: "Decision saved; the next run applies it.", what: "manual matches", done: refresh, changed });
  });
  refresh();
  const setOsmId = (id, act = null) => {
    osmIds.value = id;
    if (act) action.value = act;
    osmIds.focus();
  };
  return { el: h("div", {}, list, form), setOsmId };
}

/** A decision's OSM ids, whether a row holds a list (`osm_ids`) or one element (`osm_id`). */
function osmIdsOf(row) {
  return row.osm_ids ?? (row.osm_id ? [row.osm_id] : []);
}

function decisionItem(d, authorInput, withdrawn) {
  const remove = h("button", { type: "button", class: "small", onclick: () => {
    const author = authorFrom(authorInput);
    if (author) submit(remove, () => removeManualMatch(d.id, author), { ok: "Decision withdrawn.", what: "manual matches", changed: withdrawn });
  } }, "Withdraw");
  return h("li", {}, h("strong", {}, d.action), ` ${osmIdsOf(d).join(", ")} · ${d.author} · ${fmtTime(d.created_at)} `,
    d.orphaned ? h("span", { class: "badge badge-warn", title: "an element it names is gone from the data" }, "orphaned") : null,
    d.comment ? h("div", { class: "small" }, h("em", {}, d.comment)) : null, " ", remove);
}

/** The notes on a stop and a form to add one. */
export function notesSection(sloid, changed) {
  const list = h("div", {});
  const text = h("textarea", { name: "text", rows: 2, required: true, maxlength: 5000 });
  const author = authorInput();
  const save = h("button", { type: "submit" }, "Add note");
  const form = h("form", { class: "note" }, labelled("New note", text), h("div", { class: "row" }, labelled("Author", author), save));
  const refresh = () => loadInto(list, async () => {
    const notes = await listNotes(sloid);
    replace(list, notes.length ? h("ul", { class: "plain" }, notes.map((n) => noteItem(n, author, () => {
      refresh();
      changed?.();
    }))) : h("p", { class: "muted small" }, "No notes yet."));
  }, "notes");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    rememberAuthor(author.value.trim());
    submit(save, async () => {
      await addNote({ sloid, text: text.value.trim(), author: author.value.trim() });
      text.value = "";
    }, { ok: "Note added.", what: "notes", done: refresh, changed });
  });
  refresh();
  return h("div", {}, list, form);
}

function noteItem(n, authorInput, deleted) {
  const remove = h("button", { type: "button", class: "small", onclick: () => {
    const author = authorFrom(authorInput);
    if (author) submit(remove, () => deleteNote(n.id, author), { ok: "Note deleted.", what: "notes", changed: deleted });
  } }, "Delete");
  return h("li", {}, h("div", {}, n.text),
    h("div", { class: "muted small" }, `${n.author} · ${fmtTime(n.created_at)} `, remove));
}

/** One history entry in a few words: what changed, from the row after (or before) the change. */
export function describeChange(entry) {
  const row = entry.after ?? entry.before ?? {};
  if (entry.entity_kind === "manual_match") return `${row.action} ${osmIdsOf(row).join(", ")}`;
  if (entry.entity_kind === "solution") return `${row.problem_type}: ${STATUS_LABELS[row.status] ?? row.status}`;
  return row.text ?? "";
}

/** What users changed about a stop; returns {el, refresh}. */
export function historySection(sloid) {
  const el = h("div", {});
  const refresh = () => loadInto(el, async () => {
    const items = await listHistory(sloid);
    replace(el, items.length ? h("ol", { class: "plain history" }, items.map((e) => h("li", {},
      h("span", { class: "muted small" }, fmtTime(e.at)), " ",
      h("strong", {}, `${e.entity_kind.replace("_", " ")} ${e.action}`), ` by ${e.author}: `, describeChange(e))))
      : h("p", { class: "muted small" }, "No change recorded."));
  }, "history");
  refresh();
  return { el, refresh };
}
