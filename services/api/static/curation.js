// Users' decisions: manual matches, problem solutions, notes and history (the curation endpoints).

import { ApiError, getJSON, offers, request } from "./api.js";

const AUTHOR_KEY = "stopsync.author";

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

/** Manual decisions about one official stop. */
export async function listManualMatches(sloid) {
  return itemsOf(await curated("GET", "/api/manual-matches", () => getJSON("/api/manual-matches", { sloid })));
}

/** Record a decision: action "match" pins sloid to osm_id, "unmatch" forbids the pair. */
export function addManualMatch({ sloid, osm_id, action, author, note }) {
  const body = { sloid, osm_id, action, author, note: note || null };
  return curated("POST", "/api/manual-matches", () => request("POST", "/api/manual-matches", { body }));
}

/** Withdraw a decision: by its id where the server routes DELETE by id, else by its pair. */
export async function removeManualMatch(decision) {
  const id = decision.id ?? decision.manual_match_id;
  const byId = id !== undefined && id !== null && (await offers("DELETE", "/api/manual-matches/{id}")) !== false;
  if (byId) {
    const path = `/api/manual-matches/${encodeURIComponent(id)}`;
    return curated("DELETE", "/api/manual-matches/{id}", () => request("DELETE", path));
  }
  const qs = new URLSearchParams({ sloid: decision.sloid, osm_id: decision.osm_id });
  return curated("DELETE", "/api/manual-matches", () => request("DELETE", `/api/manual-matches?${qs}`));
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

/** Notes about one official stop. */
export async function listNotes(sloid) {
  return itemsOf(await curated("GET", "/api/notes", () => getJSON("/api/notes", { sloid })));
}

/** Add a note about one official stop. */
export function addNote({ sloid, text, author }) {
  return curated("POST", "/api/notes", () => request("POST", "/api/notes", { body: { sloid, text, author } }));
}

/** What users changed about one official stop, newest first as the server orders it. */
export async function listHistory(sloid) {
  return itemsOf(await curated("GET", "/api/history", () => getJSON("/api/history", { sloid })));
}

/** Download the curation export as a file; the server names it (Content-Disposition). */
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
