// The search and filter boxes. What they find is decided in the kernel (search: a substring or
// /regex/ in the text columns; filter: a pandas condition); here they are typed and their results
// counted. Enter in the search box selects the matches.
import { debounce, el, option } from "../dom";
import type { FilterState, SearchState } from "../protocol/model";

/** Milliseconds of quiet typing before a search goes to the kernel. */
export const SEARCH_DELAY_MS = 200;

export interface ExploreHandlers {
  search: (text: string) => void;
  /** null: every text and categorical column. */
  searchColumn: (column: string | null) => void;
  filter: (expression: string) => void;
  selectMatches: () => void;
}

export class ExploreBar {
  readonly element = el("div", "ew-explore");
  readonly searchBox = el("input", "ew-search");
  readonly filterBox = el("input", "ew-filter");
  readonly columnPicker = el("select", "ew-search-column");
  private readonly searchCount = el("span", "ew-search-count");
  private readonly filterCount = el("span", "ew-filter-count");
  private readonly error = el("div", "ew-explore-error");
  private readonly typed: ReturnType<typeof debounce<[string]>>;

  constructor(handlers: ExploreHandlers) {
    this.searchBox.type = "search";
    this.searchBox.placeholder = "search text (or /regex/)";
    this.searchBox.setAttribute("aria-label", "search");
    this.searchBox.title = "highlight rows whose text contains this; Enter selects them";
    this.filterBox.type = "text";
    this.filterBox.placeholder = "filter, e.g. length > 200 and label != 'os'";
    this.filterBox.setAttribute("aria-label", "filter");
    this.filterBox.title = "show only rows meeting this pandas condition (Enter applies it)";
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.typed = debounce((text: string) => {
      this.sent.search = text;
      handlers.search(text);
    }, SEARCH_DELAY_MS);
    this.searchBox.addEventListener("input", () => this.typed.call(this.searchBox.value));
    this.searchBox.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      this.typed.flush();
      handlers.selectMatches();
    });
    const applyFilter = () => {
      this.sent.filter = this.filterBox.value;
      handlers.filter(this.filterBox.value);
    };
    this.filterBox.addEventListener("keydown", (event) => {
      if (event.key === "Enter") applyFilter();
    });
    this.filterBox.addEventListener("change", applyFilter);
    this.columnPicker.setAttribute("aria-label", "search in");
    this.columnPicker.title = "the column the search looks in";
    this.columnPicker.addEventListener("change", () => {
      const value = this.columnPicker.value;
      handlers.searchColumn(value === "" ? null : value);
    });
    const search = el("label", "ew-control ew-search-control");
    search.append(this.searchBox, this.columnPicker, this.searchCount);
    const filter = el("label", "ew-control ew-filter-control");
    filter.append(this.filterBox, this.filterCount);
    this.element.append(search, filter, this.error);
  }

  /** Show the search's state; `text` is the `search` trait (set from Python, or typed here). */
  showSearch(state: Partial<SearchState>, text: string, rows: number): void {
    if (text !== this.sent.search) this.searchBox.value = text; // set from Python
    this.sent.search = text;
    const active = Boolean(state.query);
    this.searchCount.textContent = active ? `${count(state.count ?? 0)} of ${count(rows)}` : "";
    this.showErrors(state.error, this.lastFilterError);
    this.lastSearchError = state.error ?? null;
  }

  /** The columns a search can look in, and the one chosen (null: all of them). */
  showColumns(columns: string[], chosen: string | null): void {
    const all = option("", "in all text", chosen === null);
    this.columnPicker.replaceChildren(all, ...columns.map((c) => option(c, `in ${c}`, c === chosen)));
    this.columnPicker.hidden = columns.length < 2;
  }

  /** Show the filter's state; `text` is the `filter` trait. */
  showFilter(state: Partial<FilterState>, text: string, rows: number): void {
    if (text !== this.sent.filter) this.filterBox.value = text; // set from Python
    this.sent.filter = text;
    const active = Boolean(state.expression);
    this.filterCount.textContent = active ? `${count(state.count ?? rows)} of ${count(rows)} shown` : "";
    this.showErrors(this.lastSearchError, state.error);
    this.lastFilterError = state.error ?? null;
  }

  dispose(): void {
    this.typed.cancel();
  }

  /** What this bar sent last (the box keeps what is typed after it). */
  private readonly sent: { search?: string; filter?: string } = {};
  private lastSearchError: string | null = null;
  private lastFilterError: string | null = null;

  private showErrors(search: string | null | undefined, filter: string | null | undefined): void {
    const messages = [search, filter].filter((m): m is string => Boolean(m));
    this.error.hidden = messages.length === 0;
    this.error.textContent = messages.join("\n");
  }
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
