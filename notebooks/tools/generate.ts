/**
 * `deno task notebooks`: executes every notebook in `notebooks/` headlessly on Deno's Jupyter
 * kernel (Debian's nbconvert, as the tests do) and writes it back with its outputs, so a viewer
 * that does not run notebooks (a repository page, nbviewer) shows them. The hash of the code
 * cells goes into the notebook's metadata (`metadata.harvester.source_sha256`); a test fails
 * when a notebook's code changes without its outputs being generated again.
 *
 * Usage: `deno task notebooks [NAME.ipynb …]` (default: all).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  execute,
  missingTools,
  sourceHash,
} from "../../test/notebooks/jupyter.ts";

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
}

const dir = new URL("..", import.meta.url).pathname;
const missing = missingTools();
if (missing.length) {
  console.error(`cannot run notebooks: missing ${missing.join(", ")}`);
  Deno.exit(1);
}
const names = Deno.args.length
  ? Deno.args
  : readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
for (const name of names) {
  const t0 = performance.now();
  const run = await execute(join(dir, name));
  const nb = JSON.parse(readFileSync(run.file, "utf8")) as {
    cells: Cell[];
    metadata: Record<string, unknown>;
  };
  const errors = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) =>
    (o as { output_type: string }).output_type === "error"
  );
  if (errors.length) {
    console.error(
      `${name}: a cell failed:\n${JSON.stringify(errors[0], null, 1)}`,
    );
    Deno.exit(1);
  }
  // Run times change every run and say nothing to a reader: left out to keep diffs small.
  for (const c of nb.cells) delete c.metadata?.execution;
  nb.metadata.harvester = { source_sha256: await sourceHash(nb) };
  writeFileSync(join(dir, name), JSON.stringify(nb, null, 1) + "\n");
  console.log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
