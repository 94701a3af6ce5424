// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { DetailsPanel } from "../panels/details";

describe("details panel", () => {
  it("pins one row, shows every value in full as text, and unpins", () => {
    const request = vi.fn();
    const panel = new DetailsPanel(request);
    panel.pin(7);
    expect(request).toHaveBeenCalledWith(7);
    const long = `${"a long paragraph ".repeat(40)}<script>x</script>`;
    panel.receive({ type: "details", index: 3, values: [["text", "stale"]] }, []); // not pinned
    expect(panel.element.hidden).toBe(true);
    panel.receive(
      {
        type: "details",
        index: 7,
        values: [
          ["text", long],
          ["emb", "[384-d vector]"],
        ],
      },
      [],
    );
    expect(panel.element.hidden).toBe(false);
    expect(panel.element.querySelector("script")).toBeNull();
    expect(panel.element.querySelector("dd")?.textContent).toBe(long); // not cut
    expect(panel.element.textContent).toContain("row 7");
    panel.element.querySelector<HTMLButtonElement>(".ew-details-close")?.click();
    expect(panel.element.hidden).toBe(true);
    expect(panel.index).toBeNull();
  });
});
