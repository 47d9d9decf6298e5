/**
 * `-o x.csv` (or `.json`, `.arrow`, `.parquet`) written while the backtest runs: the side tables
 * (positions, orders, transactions) go to a thread of their own as their rows are recorded
 * (`metrics/tables/table_stream.ts`), which encodes and writes them on another core while the
 * simulation goes on — Parquet's Arrow stream likewise, made into the file at the end; the perf
 * table is written at the end, beside that thread's last rows. The files are the bytes
 * `writeResults` writes for the finished run.
 *
 * A file keeps its name only once written whole: until then it is written beside it, so a run
 * stopped early leaves any earlier output as it was.
 *
 * Only with three cores or more. The simulation is not the process's only thread: V8 compiles
 * its hot functions and collects garbage on another (a cold `harvester backtest` of a
 * 100 × 2,520 run used 1.0 s of processor in 0.7 s). On this 2-core machine the writing thread
 * took that core's time from them, and the simulation slowed by what the writing saved: 8
 * interleaved runs each, simulation 366 → 474 ms and writing 144 → 34 ms, whole process 637 →
 * 676 ms (medians). Two processes each running on their own core there do not slow each other;
 * a thread of the same process doing nothing but arithmetic slowed the simulation by 40 ms (median
 * of 8).
 * `HARVESTER_OUTPUT_THREAD=on` or `off` decides instead of the count of cores.
 *
 * @module
 */
import { dirname, extname } from "node:path";
import { InvalidInputError } from "../errors.ts";
import { besidePath, exists, FileWriteError, removeAll } from "../fs.ts";
import type { RecordedData } from "../metrics/recorder.ts";
import { type RecorderDelta, RecorderFeed } from "../metrics/recorder_delta.ts";
import type { Results } from "../metrics/results.ts";
import type { StreamReply, StreamRequest } from "../metrics/tables/stream_worker.ts";
import type { StreamFormat } from "../metrics/tables/table_stream.ts";
import { writeTables } from "../metrics/tables/write.ts";
import { BLOCK_ROWS } from "../metrics/tables/table.ts";
import { outputFiles, tableFiles } from "./output.ts";

/** The outputs written on the thread: every format `-o` writes. */
const STREAMED: readonly string[] = [
  ".csv",
  ".json",
  ".arrow",
  ".parquet",
] satisfies StreamFormat[];

/**
 * Rows recorded before they are sent: a message per 8,192 rows (40 for a 100 × 2,520 run's
 * 318,000), and no more than that left to write when the run ends.
 */
const SEND_ROWS = 8192;

/**
 * Whether `-o` gets a thread of its own: `HARVESTER_OUTPUT_THREAD` (`on`, `off`), else whether the
 * machine has three cores or more.
 */
export function outputThread(
  env: string | undefined = Deno.env.get("HARVESTER_OUTPUT_THREAD"),
  cores = navigator.hardwareConcurrency,
): boolean {
  if (env === "on" || env === "1") return true;
  if (env === "off" || env === "0") return false;
  if (env !== undefined && env !== "") {
    throw new InvalidInputError(
      "HARVESTER_OUTPUT_THREAD",
      env,
      "use on or off (unset: on with 3 cores or more)",
    );
  }
  return cores >= 3;
}

/** Makes `dir` and the folders above it that are missing; returns those made, deepest first. */
function makeFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  Deno.mkdirSync(dir, { recursive: true });
  return missing;
}

/** Removes folders `makeFolders` made, deepest first, while they are empty. */
function removeFolders(made: readonly string[]): void {
  for (const d of made) {
    try {
      Deno.removeSync(d); // not recursive: a folder something was written into stays
    } catch {
      return;
    }
  }
}

/**
 * The writing thread's module: beside this one in the sources; in the command line's bundle an
 * entry point of its own (`cli/bundle.ts` bundles deno.json's `harvester/*` imports: `harvester/internal/table-writer`), found
 * through the import map the bundled command runs with.
 */
function writerModule(): string {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../metrics/tables/stream_worker.ts", here).href
    : import.meta.resolve("harvester/internal/table-writer");
}

/**
 * Rows recorded before they are sent, and rows encoded at a time (tests make them small); the
 * thread's module (tests name one that is not there).
 */
export interface StreamSizes {
  send: number;
  block: number;
  module?: string;
}

/** A run's `-o` tables, written as it goes. */
export class TableStream {
  readonly #feed = new RecorderFeed();
  readonly #reply: Promise<StreamReply>;
  #ended = false;
  #shared = false;
  /** The side tables' files, the thread's. */
  readonly #sides: Record<"positions" | "orders" | "transactions", string>;

  private constructor(
    private readonly worker: Worker,
    private readonly files: Record<"perf" | "positions" | "orders" | "transactions", string>,
    private readonly format: StreamFormat,
    private readonly sizes: StreamSizes,
    /** The folders `open` made for the files (removed again when nothing is written). */
    private readonly made: readonly string[],
  ) {
    this.#reply = new Promise((resolve) => {
      worker.onmessage = (e: MessageEvent<StreamReply>) => resolve(e.data);
      // The thread itself broke (its module did not load): the tables are written here instead.
      worker.onerror = (e) => {
        e.preventDefault();
        resolve({ kind: "aborted" });
      };
    });
    const { perf: _, ...sides } = files;
    this.#sides = sides;
    this.#post({ kind: "open", paths: sides, format, blockRows: sizes.block });
  }

  /**
   * A stream for `-o out` to a file of a format `-o` writes, or null (`-o -`, stdout, is
   * written at the end by `writeResults`).
   */
  static open(
    out: string,
    threads = outputThread(),
    sizes: StreamSizes = { send: SEND_ROWS, block: BLOCK_ROWS },
  ): TableStream | null {
    const format = extname(out).toLowerCase() as StreamFormat;
    if (!threads || out === "-" || !STREAMED.includes(format)) return null;
    let made: string[] = [];
    try {
      made = makeFolders(dirname(out));
      const worker = new Worker(sizes.module ?? writerModule(), { type: "module" });
      return new TableStream(worker, outputFiles(out, format), format, sizes, made);
    } catch {
      removeFolders(made);
      return null; // written at the end instead, where a failure is reported
    }
  }

  /** At each session's end: sends the rows recorded since, once there are enough. */
  session(d: RecordedData): void {
    if (!this.#shared) RecorderFeed.share(d);
    this.#shared = true;
    if (!this.#ended && this.#feed.pending(d) >= this.sizes.send) {
      this.#post({ kind: "rows", delta: this.#feed.take(d) });
    }
  }

  /** Writes the rest of `results` (the run's own); returns the files written. */
  async finish(results: Results): Promise<string[]> {
    if (this.#ended) throw new Error("TableStream: ended already");
    this.#ended = true;
    this.#post({ kind: "end", delta: this.#feed.take(results.recorderData) });
    // The perf table here meanwhile; its failure is reported once the other files are done.
    const perf = writeTables(tableFiles(results, { perf: this.files.perf }), this.format)
      .then(() => null, (e: unknown) => ({ e }));
    const [reply, perfFailed] = [await this.#reply, await perf];
    this.worker.terminate();
    if (perfFailed) throw perfFailed.e;
    if (reply.kind === "failed") {
      throw new FileWriteError(reply.path, "write", new Error(reply.message));
    }
    if (reply.kind === "aborted") {
      for (const path of Object.values(this.#sides)) removeAll(besidePath(path));
      await writeTables(tableFiles(results, this.#sides), this.format);
    }
    return Object.values(this.files);
  }

  /**
   * For a run that writes nothing (it failed before any session, or its strategy did not load):
   * the files begun are removed, then the thread stops, and the folders made for them go (as
   * without the thread, where nothing is made). Nothing once `finish` was called.
   */
  async cancel(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#post({ kind: "abort" });
    await this.#reply;
    this.worker.terminate();
    removeFolders(this.made);
  }

  #post(m: StreamRequest): void {
    const delta: RecorderDelta | undefined = "delta" in m ? m.delta : undefined;
    this.worker.postMessage(m, delta ? RecorderFeed.transfers(delta) : []);
  }
}
