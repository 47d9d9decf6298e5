/**
 * The notebooks are committed with their outputs (`deno task notebooks` writes them), so a
 * repository page shows them without running anything. These checks need no kernel: each
 * notebook's code is the code that produced its outputs (the hash stored at generation), every
 * code cell ran, no cell failed, and every chart carries its HTML and a PNG drawn in colour.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { VEGALITE_MIME } from "../../runtime/entry/notebook.ts";
import { pixelStats } from "../report/helpers.ts";
import { type Output, sourceHash, text } from "./jupyter.ts";

interface Notebook {
  cells: {
    cell_type: string;
    source: string | string[];
    execution_count?: number;
    outputs?: Output[];
  }[];
  metadata: { harvester?: { source_sha256?: string } };
}

const names = readdirSync("notebooks").filter((f) => f.endsWith(".ipynb")).sort();
const load = (name: string) => JSON.parse(readFileSync(`notebooks/${name}`, "utf8")) as Notebook;

describe("committed notebooks", () => {
  test.each(names)(
    "%s: its outputs come from its current code (else: deno task notebooks)",
    async (name) => {
      const nb = load(name);
      expect(
        nb.metadata.harvester?.source_sha256,
        `${name} changed since its outputs were generated: run deno task notebooks`,
      ).toBe(await sourceHash(nb));
    },
  );

  test.each(names)("%s: every code cell ran, none failed, charts carry HTML and PNG", (name) => {
    const code = load(name).cells.filter((c) => c.cell_type === "code");
    expect(code.map((c) => typeof c.execution_count)).toEqual(code.map(() => "number"));
    const outputs = code.flatMap((c) => c.outputs ?? []);
    expect(outputs.length).toBeGreaterThan(code.length / 2);
    expect(outputs.filter((o) => o.output_type === "error" || o.name === "stderr")).toEqual([]);
    const charts = outputs.filter((o) => o.data && VEGALITE_MIME in o.data).map((o) => o.data!);
    for (const chart of charts) {
      expect(chart["image/svg+xml"]).toBeUndefined(); // nbconvert 6.5 strips SVG outputs
      expect(text(chart["text/html"])).toMatch(/^<div class="hv-chart"[^>]*><svg /);
      const png = Uint8Array.from(atob(text(chart["image/png"])), (c) => c.charCodeAt(0));
      const s = pixelStats(png);
      expect(s.width, text(chart["text/plain"])).toBeGreaterThan(200);
      expect(s.colour, text(chart["text/plain"])).toBeGreaterThan(0.003);
    }
  });
});
