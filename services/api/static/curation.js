// Users' decisions: manual matches, problem solutions, notes and history (the curation endpoints).

import { ApiError, getJSON, request } from "./api.js";

const AUTHOR_KEY = "stopsync.author";

/** The author name last used in this browser. */
export function savedAuthor() {
  return localStorage.getItem(AUTHOR_KEY) || "";
}

/** Remember the author for the next form. */
export function saveAuthor(author) {
  if (author) localStorage.setItem(AUTHOR_KEY, author);
}

/** A list answer as an array, whether the endpoint returns `[...]` or `{items: [...]}`. */
export function itemsOf(doc) {
  if (Array.isArray(doc)) return doc;
  return doc?.items ?? [];
}

/** Manual decisions about one official stop. */
export async function listManualMatches(sloid) {
  return itemsOf(await getJSON("/api/manual-matches", { sloid }));
}

/** Record a decision: action "match" pins sloid to osm_id, "unmatch" forbids the pair. */
export function addManualMatch({ sloid, osm_id, action, author, note }) {
  return request("POST", "/api/manual-matches", { body: { sloid, osm_id, action, author, note: note || null } });
}

/** Withdraw a decision, by its id when the server gave one, else by its pair. */
export function removeManualMatch(decision) {
  const id = decision.id ?? decision.manual_match_id;
  if (id !== undefined && id !== null) {
    return request("DELETE", `/api/manual-matches/${encodeURIComponent(id)}`);
  }
  const qs = new URLSearchParams({ sloid: decision.sloid, osm_id: decision.osm_id });
  return request("DELETE", `/api/manual-matches?${qs}`);
}

/** A problem's recorded solution, or null when none is recorded yet. */
export async function getSolution(problemId) {
  try {
    return await getJSON(`/api/problems/${encodeURIComponent(problemId)}/solution`);
  } catch (err) {
    if (err.status === 404 && !err.missingEndpoint) return null; // the route exists: no solution yet
    throw err;
  }
}

/** Record a problem's solution: status, free text and author. */
export function putSolution(problemId, { status, text, author }) {
  return request("PUT", `/api/problems/${encodeURIComponent(problemId)}/solution`, { body: { status, text, author } });
}

/** Notes about one official stop. */
export async function listNotes(sloid) {
  return itemsOf(await getJSON("/api/notes", { sloid }));
}

/** Add a note about one official stop. */
export function addNote({ sloid, text, author }) {
  return request("POST", "/api/notes", { body: { sloid, text, author } });
}

/** What users changed about one official stop, newest first as the server orders it. */
export async function listHistory(sloid) {
  return itemsOf(await getJSON("/api/history", { sloid }));
}

/** Download the curation export as a file; the server names it (Content-Disposition). */
export async function downloadExport() {
  const response = await fetch("/api/curation/export");
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
