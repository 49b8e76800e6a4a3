import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { eventsDocPath, renderEventsDoc } from "../../scripts/events-doc.js";

describe("docs/events.md", () => {
  it("matches the event Schemas (run `npm run events:doc` when this fails)", async () => {
    expect(await readFile(eventsDocPath, "utf8")).toBe(renderEventsDoc());
  });
});
