// Fetch helpers: JSON in and out, errors with the server's message, the admin token.

const TOKEN_KEY = "stopsync.adminToken";

/** An HTTP error carrying the status and the server's `detail`. */
export class ApiError extends Error {
  constructor(status, detail, body = null) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
    this.body = body;
    this.missing = null; // known from the OpenAPI document: true or false; null when unknown
  }

  /** Whether the route itself is absent (not a missing record behind an existing route). */
  get missingEndpoint() {
    if (this.missing !== null) return this.missing;
    // Without the OpenAPI document: FastAPI answers an unknown route with exactly "Not Found".
    return this.status === 404 && this.detail === "Not Found";
  }
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    return new ApiError(response.status, response.statusText);
  }
  const detail = body?.detail;
  // FastAPI's validation errors are a list of {loc, msg}: keep the messages.
  const text = typeof detail === "string" ? detail
    : Array.isArray(detail) ? detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ")
      : JSON.stringify(body);
  return new ApiError(response.status, text, body);
}

/** Send a request; resolve to the parsed JSON body (or null), reject with ApiError. */
export async function request(method, path, { body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** GET a path with optional query parameters (empty values are left out). */
export function getJSON(path, params = {}, options = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const qs = query.toString();
  return request("GET", qs ? `${path}?${qs}` : path, options);
}

let routes = null;

/** The server's routes from its OpenAPI document: Map "path with {}" -> Set of methods, or null. */
export function apiRoutes() {
  routes ??= getJSON("/openapi.json").then((doc) => new Map(Object.entries(doc.paths || {})
    .map(([path, ops]) => [path.replace(/\{[^}]*\}/g, "{}"), new Set(Object.keys(ops))])))
    .catch(() => null);
  return routes;
}

/** Whether the server offers `method` on a path template ("/api/x/{id}"): true, false or null. */
export async function offers(method, template) {
  const known = await apiRoutes();
  if (!known) return null;
  return known.get(template.replace(/\{[^}]*\}/g, "{}"))?.has(method.toLowerCase()) ?? false;
}

/** A message a person can act on, for any error thrown by request(). */
export function friendly(err, what = "this") {
  if (err.name === "AbortError") return "";
  if (!(err instanceof ApiError)) return `Cannot reach the server (${err.message}).`;
  if (err.missingEndpoint) return `The server does not offer ${what} yet.`;
  if (err.status === 503) return `No data yet: ${err.detail}.`;
  if (err.status === 401) return "The admin token was refused.";
  return `${err.detail} (HTTP ${err.status})`;
}

/** The admin token kept for this browser tab, asking once if needed. */
export function adminToken({ ask = true } = {}) {
  let token = sessionStorage.getItem(TOKEN_KEY);
  if (!token && ask) {
    token = window.prompt("Admin token (kept for this tab only):") || "";
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
  }
  return token || null;
}

/** Forget the admin token (after the server refused it). */
export function forgetAdminToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}
