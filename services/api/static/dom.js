// Small DOM and formatting helpers shared by the UI modules.

/** Build an element: h("a", {href: "#", class: "x", onclick: fn}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Append children (strings, nodes, arrays, null) to an element. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** 1234567 -> "1,234,567" (a missing value is a dash). */
export function fmtNumber(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US");
}

/** Seconds -> "1 h 02 min", "3 min 05 s", "12 s". */
export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (hours) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  if (minutes) return `${minutes} min ${String(secs).padStart(2, "0")} s`;
  return `${secs} s`;
}

/** An ISO timestamp -> local "2026-11-29 06:10" plus a relative age, or a dash. */
export function fmtTime(iso) {
  if (!iso) return "–";
  const t = new Date(iso);
  if (isNaN(t)) return String(iso);
  const pad = (n) => String(n).padStart(2, "0");
  const local = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ` +
    `${pad(t.getHours())}:${pad(t.getMinutes())}`;
  const age = (Date.now() - t.getTime()) / 1000;
  return age >= 0 ? `${local} (${fmtDuration(age)} ago)` : `${local} (in ${fmtDuration(-age)})`;
}

/** Metres with sensible precision. */
export function fmtMetres(m) {
  if (m === null || m === undefined) return "–";
  return m < 10 ? `${Number(m).toFixed(1)} m` : `${Math.round(m)} m`;
}

/** The openstreetmap.org page of an osm_id ("123" is node 123, "way_123" is way 123). */
export function osmUrl(osmId) {
  const id = String(osmId);
  const [type, num] = id.startsWith("way_") ? ["way", id.slice(4)] : ["node", id];
  return `https://www.openstreetmap.org/${type}/${num}`;
}

/** Call fn once calls have stopped for `ms` milliseconds. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Show a short message in the toast area for a few seconds. */
export function toast(message, kind = "info") {
  const area = document.getElementById("toasts");
  if (!area) return;
  const el = h("div", { class: `toast toast-${kind}`, role: "status" }, message);
  area.append(el);
  setTimeout(() => el.remove(), 5000);
}
