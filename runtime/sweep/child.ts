/**
 * The process one cell runs in (`deno run … runtime/sweep/child.ts RESULT.json`): reads the cell
 * as one JSON line on stdin, runs it, and writes the result to the file named on the command
 * line (atomically; stdout and stderr stay the strategy's own). Exits 1 with the error as the
 * last line of stderr. When the parent goes away (its end of stdin closes), the cell stops too:
 * a worker killed with `kill -9` leaves no cell running behind it.
 *
 * @module
 */
import { renameSync, writeFileSync } from "node:fs";
import { harvesterRoot } from "../../bundles/mod.ts";
import { type CellSpec, resultJson } from "./cell.ts";
import { runCell } from "./run_cell.ts";

/** Reads stdin's first line, then keeps reading: end of input means the parent is gone. */
async function readSpec(): Promise<CellSpec> {
  const reader = Deno.stdin.readable.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) Deno.exit(1);
    text += decoder.decode(value, { stream: true });
    const nl = text.indexOf("\n");
    if (nl >= 0) {
      (async () => {
        while (!(await reader.read()).done);
        Deno.exit(1);
      })();
      return JSON.parse(text.slice(0, nl)) as CellSpec;
    }
  }
}

async function main(resultPath: string): Promise<void> {
  const spec = await readSpec();
  const environ = Deno.env.toObject();
  try {
    const result = await runCell(spec, { root: harvesterRoot(environ), environ });
    const tmp = `${resultPath}.tmp`;
    writeFileSync(tmp, resultJson(result));
    renameSync(tmp, resultPath);
    Deno.exit(0);
  } catch (e) {
    const err = e as Error;
    const message = `${err?.name ?? "Error"}: ${err?.message ?? String(e)}`.replaceAll("\n", " ");
    console.error(err?.stack ?? message);
    console.error(`cell failed: ${message}`);
    Deno.exit(1);
  }
}

if (import.meta.main) await main(Deno.args[0]);
