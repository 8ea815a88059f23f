// Users' decisions through the curation endpoints: manual matches, solutions, notes, history, export.

import { ApiError, getJSON, offers, request } from "./api.js";

const AUTHOR_KEY = "stopsync.author";
const HISTORY_LIMIT = 200; // changes shown for one stop, newest first

// api.curation_models.SolutionStatus, in the order a curator meets them.
export const SOLUTION_STATUSES = ["open", "fixed_in_osm", "fixed_in_official", "wont_fix", "false_positive"];

/** The author name last used in this browser. */
export function savedAuthor() {
  return localStorage.getItem(AUTHOR_KEY) || "";
}

/** Remember the author for the next form. */
export function saveAuthor(author) {
  if (author) localStorage.setItem(AUTHOR_KEY, author);
}

/** Call a curation route, failing fast (as a missing endpoint) when the server does not offer it. */
async function curated(method, template, call) {
  const offered = await offers(method, template);
  if (offered === false) {
    const err = new ApiError(404, "Not Found");
    err.missing = true;
    throw err;
  }
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && offered) err.missing = false; // the route exists: a 404 is a record
    throw err;
  }
}

/** A list answer as an array, whether the endpoint returns `[...]` or `{items: [...]}`. */
export function itemsOf(doc) {
  if (Array.isArray(doc)) return doc;
  return doc?.items ?? [];
}

/** "123, way_456 789" -> ["123", "way_456", "789"]. */
export function parseOsmIds(text) {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** Manual decisions about one official stop. */
export async function listManualMatches(sloid) {
  return itemsOf(await curated("GET", "/api/manual-matches", () => getJSON("/api/manual-matches", { sloid })));
}

/** Record a decision: "match" pins the sloid to the OSM elements, "unmatch" keeps them apart. */
export function addManualMatch({ sloid, osmIds, action, author, comment }) {
  const body = { sloid, osm_ids: osmIds, action, author, comment };
  return curated("POST", "/api/manual-matches", () => request("POST", "/api/manual-matches", { body }));
}

/** Withdraw a decision (its history stays); the body names who withdraws it. */
export function removeManualMatch(id, author) {
  const path = `/api/manual-matches/${encodeURIComponent(id)}`;
  return curated("DELETE", "/api/manual-matches/{id}", () => request("DELETE", path, { body: { author } }));
}

/** A problem's recorded solution, or null when none is recorded yet. */
export async function getSolution(problemId) {
  const path = `/api/problems/${encodeURIComponent(problemId)}/solution`;
  try {
    return await curated("GET", "/api/problems/{id}/solution", () => getJSON(path));
  } catch (err) {
    if (err.status === 404 && !err.missingEndpoint) return null; // the route exists: no solution yet
    throw err;
  }
}

/** Record a problem's solution: status, free text and author. */
export function putSolution(problemId, { status, text, author }) {
  const path = `/api/problems/${encodeURIComponent(problemId)}/solution`;
  return curated("PUT", "/api/problems/{id}/solution", () => request("PUT", path, { body: { status, text, author } }));
}

/** Notes on one official stop. */
export async function listNotes(sloid) {
  const params = { target_type: "atlas", target_id: sloid };
  return itemsOf(await curated("GET", "/api/notes", () => getJSON("/api/notes", params)));
}

/** Leave a note on one official stop. */
export function addNote({ sloid, text, author }) {
  const body = { target_type: "atlas", target_id: sloid, text, author };
  return curated("POST", "/api/notes", () => request("POST", "/api/notes", { body }));
}

/** Delete a note (its history stays); the body names who deletes it. */
export function deleteNote(id, author) {
  const path = `/api/notes/${encodeURIComponent(id)}`;
  return curated("DELETE", "/api/notes/{id}", () => request("DELETE", path, { body: { author } }));
}

/** Whether a history entry is about this official stop (it, or its before or after row, names it). */
function concerns(entry, sloid) {
  return entry.sloid === sloid || [entry.before, entry.after].some((row) => row && (row.sloid === sloid
    || (row.target_type === "atlas" && row.target_id === sloid)));
}

/** The newest changes about one official stop (`sloid=`; checked here too, should a server
 * ignore the filter and answer with everything). */
export async function listHistory(sloid) {
  const doc = await curated("GET", "/api/history", () => getJSON("/api/history", { sloid, limit: HISTORY_LIMIT }));
  return itemsOf(doc).filter((entry) => concerns(entry, sloid));
}

/** Download the curation export as a file; the server may name it (Content-Disposition). */
export async function downloadExport() {
  const response = await curated("GET", "/api/curation/export", () => fetch("/api/curation/export"));
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON: keep the status text */ }
    throw new ApiError(response.status, detail);
  }
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || "stopsync-curation-export.json";
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser has taken the blob
}
