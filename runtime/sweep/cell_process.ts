/**
 * A process that runs cells (`child.ts`), one at a time, for as long as it is given work: a crash,
 * an `Deno.exit` or an out-of-memory in a strategy ends this process only, and the pool starts
 * another. Keeping the process between cells keeps the engine's compiled code warm (a cell of the
 * reference workload takes half the time in a warm process than in a new one), while each cell
 * still loads the strategy module afresh.
 *
 * The cell goes to the process as one JSON line on stdin; its result comes back on stdout as one
 * line that starts with a marker only this process knows (the strategy's own output, on the same
 * stream, is ignored). Stdin stays open: when this process goes away, the child sees its end and
 * stops, so a killed worker leaves no cell running behind it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type CellResult, type CellSpec, parseResult } from "./cell.ts";
import { withProcessEnv } from "../process_env.ts";
import { V8_FLAGS } from "../v8_flags.ts";
import { installed } from "../install.ts";

/** A cell's end: its result, or why it has none. */
export type CellOutcome = { ok: true; result: CellResult } | { ok: false; error: string };

/** How cell processes are started. */
export interface ProcessOptions {
  /** Environment of the process (`HARVESTER_ROOT` says where bundles are). */
  env: Record<string, string | undefined>;
  /** V8's old-space limit per process, in MB (a cell over it fails alone). */
  memory_mb?: number;
  /**
   * V8 without its helper threads (concurrent compilation and GC). When cell processes already
   * fill every core, those threads only take time from the other cells; measured here (bench/
   * sweep.ts), two single-threaded cells at once on two cores beat two with helpers, while one
   * cell alone runs faster with them.
   */
  single_threaded?: boolean;
}

const CHILD = fileURLToPath(installed("runtime/sweep/child.ts"));
const CONFIG = fileURLToPath(installed("deno.json"));

/** The `deno run` arguments of a cell process. */
export function childArgs(opts: ProcessOptions): string[] {
  const v8 = [...V8_FLAGS];
  if (opts.single_threaded) v8.push("--single-threaded");
  if (opts.memory_mb) v8.push(`--max-old-space-size=${opts.memory_mb}`);
  return ["run", "-A", "--quiet", "--config", CONFIG, `--v8-flags=${v8.join(",")}`, CHILD];
}

/** The error a process that ended reported. */
function processError(stderr: string[], status: Deno.CommandStatus): string {
  const lines = stderr.map((l) => l.trim()).filter(Boolean);
  const how = status.signal ? `killed by ${status.signal}` : `exited with status ${status.code}`;
  // V8's fatal out-of-memory report is followed by a C stack trace: its first line says it all.
  const oom = lines.find((l) => /out of memory/i.test(l));
  if (oom) return `the cell's process ran out of memory (${how}): ${oom.replace(/^#\s*/, "")}`;
  const tail = lines.slice(-3).join(" | ");
  return tail ? `the cell's process ${how}: ${tail}` : `the cell's process ${how}`;
}

/** Splits a byte stream into lines, calling `line` for each. */
async function eachLine(stream: ReadableStream<Uint8Array>, line: (l: string) => void) {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      line(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  }
  if (buf) line(buf);
}

/** One cell process. */
export class CellProcess {
  /** Cells this process has been given. */
  cells = 0;
  #alive = true;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #marker = `\u0001hv-cell-${crypto.randomUUID()}`;
  readonly #stderr: string[] = [];
  #waiting?: { id: number; resolve: (o: CellOutcome) => void };
  readonly #exited: Promise<Deno.CommandStatus>;

  constructor(opts: ProcessOptions) {
    const env = withProcessEnv(opts.env);
    env.HARVESTER_CELL_MARKER = this.#marker;
    const child = new Deno.Command(Deno.execPath(), {
      args: childArgs(opts),
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = child.stdin.getWriter();
    const out = eachLine(child.stdout, (l) => this.#onLine(l));
    const err = eachLine(child.stderr, (l) => {
      this.#stderr.push(l);
      if (this.#stderr.length > 200) this.#stderr.shift();
    });
    this.#exited = (async () => {
      const status = await child.status;
      await Promise.allSettled([out, err]);
      this.#alive = false;
      this.#waiting?.resolve({ ok: false, error: processError(this.#stderr, status) });
      this.#waiting = undefined;
      return status;
    })();
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.#alive;
  }

  #onLine(line: string): void {
    if (!line.startsWith(this.#marker)) return; // the strategy's own output
    const rest = line.slice(this.#marker.length + 1);
    const [id, kind] = rest.split(" ", 2);
    const body = rest.slice(id.length + kind.length + 2);
    const w = this.#waiting;
    if (!w || Number(id) !== w.id) return;
    this.#waiting = undefined;
    if (kind === "ok") {
      try {
        w.resolve({ ok: true, result: parseResult(body) });
      } catch (e) {
        w.resolve({
          ok: false,
          error: `the cell's result could not be read: ${(e as Error).message}`,
        });
      }
    } else w.resolve({ ok: false, error: body });
  }

  /**
   * Runs one cell and waits for it.
   *
   * @example
   * ```ts
   * const p = new CellProcess({ env: Deno.env.toObject() });
   * const outcome = await p.run(spec);
   * await p.close();
   * ```
   */
  run(spec: CellSpec): Promise<CellOutcome> {
    if (!this.#alive || this.#waiting) throw new Error("internal: cell process busy or ended");
    const id = ++this.cells;
    const done = new Promise<CellOutcome>((resolve) => (this.#waiting = { id, resolve }));
    this.#writer.write(new TextEncoder().encode(JSON.stringify({ id, spec }) + "\n"))
      .catch(() => {}); // a process that ended says so through its exit
    return done;
  }

  /** Ends the process (closing its stdin) and waits for it. */
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#exited;
  }
}
