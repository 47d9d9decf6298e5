/**
 * A cell process (see `cell_process.ts`): reads cells as JSON lines on stdin and runs them one
 * after another, each with a fresh import of its strategy module; answers each with one line on
 * stdout, `<marker> <id> ok <result JSON>` or `<marker> <id> error <message>` (the marker comes
 * in `HARVESTER_CELL_MARKER`). The end of stdin, whenever it comes, ends the process: the parent
 * is gone or done.
 *
 * @module
 */
import { harvesterRoot } from "../../bundles/mod.ts";
import { type CellSpec, resultJson } from "./cell.ts";
import { runCell } from "./run_cell.ts";

const encoder = new TextEncoder();

function answer(line: string): void {
  const bytes = encoder.encode(line + "\n");
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
}

async function main(): Promise<void> {
  const marker = Deno.env.get("HARVESTER_CELL_MARKER") ?? "";
  const environ = Deno.env.toObject();
  const root = harvesterRoot(environ);
  const queue: { id: number; spec: CellSpec }[] = [];
  let wake: (() => void) | undefined;
  // Stdin is read all the time, so its end is seen even while a cell runs.
  (async () => {
    let buf = "";
    for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        queue.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        wake?.();
      }
    }
    Deno.exit(0);
  })();
  for (;;) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const { id, spec } = queue.shift()!;
    try {
      const result = await runCell(spec, { root, environ }, undefined, `cell=${id}`);
      answer(`${marker} ${id} ok ${resultJson(result)}`);
    } catch (e) {
      const err = e as Error;
      console.error(err?.stack ?? String(e));
      const message = `${err?.name ?? "Error"}: ${err?.message ?? String(e)}`;
      answer(`${marker} ${id} error ${message.replaceAll("\n", " ")}`);
    }
  }
}

if (import.meta.main) await main();
