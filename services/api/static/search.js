// The search box: official stops by name, sloid or UIC through /api/search.

import { friendly, getJSON } from "./api.js";
import { debounce, h, replace } from "./dom.js";

const MIN_CHARS = 2; // the API's own minimum

export class SearchBox {
  /** Render into `el`; `onSelect(item)` gets a chosen result ({sloid, lon, lat, ...}). */
  constructor(el, onSelect) {
    this.onSelect = onSelect;
    this.input = h("input", {
      type: "search", id: "search-input", placeholder: "Stop name, sloid or UIC", autocomplete: "off",
      "aria-label": "Search official stops", "aria-controls": "search-results",
    });
    this.results = h("ol", { id: "search-results", class: "result-list", "aria-live": "polite" });
    this.input.addEventListener("input", debounce(() => this.search(), 250));
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.search();
      if (e.key === "ArrowDown") this.results.querySelector("button")?.focus();
    });
    this.results.addEventListener("keydown", (e) => this.arrowKeys(e));
    replace(el, h("label", { for: "search-input", class: "sr-only" }, "Search"), this.input, this.results);
  }

  async search() {
    const q = this.input.value.trim();
    if (q.length < MIN_CHARS) {
      replace(this.results);
      return;
    }
    this.controller?.abort();
    this.controller = new AbortController();
    try {
      const doc = await getJSON("/api/search", { q, limit: 20 }, { signal: this.controller.signal });
      this.show(doc.items);
    } catch (err) {
      const text = friendly(err, "search");
      if (text) replace(this.results, h("li", { class: "muted" }, text));
    }
  }

  show(items) {
    if (!items.length) {
      replace(this.results, h("li", { class: "muted" }, "No stop found."));
      return;
    }
    replace(this.results, items.map((item) => h("li", {},
      h("button", { type: "button", class: "link", onclick: () => this.onSelect(item) },
        h("strong", {}, item.designation_official),
        item.designation ? ` (${item.designation})` : "",
        h("span", { class: "muted small" }, ` ${item.sloid} · UIC ${item.uic}`)))));
  }

  /** Up/down move between results; Escape returns to the box. */
  arrowKeys(e) {
    const buttons = [...this.results.querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < buttons.length - 1) buttons[i + 1].focus();
    else if (e.key === "ArrowUp") (i > 0 ? buttons[i - 1] : this.input).focus();
    else if (e.key === "Escape") this.input.focus();
    else return;
    e.preventDefault();
  }
}
