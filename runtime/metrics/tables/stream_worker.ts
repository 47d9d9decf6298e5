/**
 * The thread that writes a run's side tables while it goes on (`table_stream.ts`): started by
 * `TableStream` (`engine/output_stream.ts`), told the files, then sent the recorder's rows as
 * they are recorded, then the end.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type RecorderDelta, RecorderReplica } from "../recorder_delta.ts";
import { SIDE_TABLES } from "./recorder_tables.ts";
import { SideTableWriter, type StreamFormat } from "./table_stream.ts";
import { parquetWriter } from "./write.ts";

/** What the thread is sent. */
export type StreamRequest =
  | {
    kind: "open";
    paths: Record<keyof typeof SIDE_TABLES, string>;
    format: StreamFormat;
    blockRows: number;
  }
  | { kind: "rows"; delta: RecorderDelta }
  | { kind: "end"; delta: RecorderDelta }
  | { kind: "abort" };

/** What it answers, once: all written, or the first failure (nothing then keeps its name). */
export type StreamReply =
  | { kind: "done" }
  | { kind: "aborted" }
  | { kind: "failed"; path: string; message: string };

const copy = new RecorderReplica();
const writers: SideTableWriter[] = [];
let failed = false;
/** The file being written when something failed (the first, before any is opened). */
let at = "";

/** `step` for each file in turn, noting which. */
function each(step: (w: SideTableWriter) => unknown): unknown[] {
  return writers.map((w) => {
    at = w.path;
    return step(w);
  });
}

// One message at a time, each after the one before is done (opening Parquet's writer waits for
// its module, and the rows sent meanwhile must wait for the files).
let turn = Promise.resolve();
self.onmessage = (e: MessageEvent<StreamRequest>) => {
  turn = turn.then(() => handle(e.data));
};

async function handle(m: StreamRequest): Promise<void> {
  if (m.kind === "abort") {
    abortAll();
    self.postMessage({ kind: "aborted" } satisfies StreamReply);
    return;
  }
  if (failed) return;
  try {
    if (m.kind === "open") {
      const pq = m.format === ".parquet" ? await parquetWriter() : undefined;
      // One by one into the list: a file that cannot be opened leaves those before to abort.
      for (const [name, table] of Object.entries(SIDE_TABLES)) {
        at = m.paths[name as keyof typeof SIDE_TABLES];
        writers.push(new SideTableWriter(at, table, copy, m.format, m.blockRows, pq));
      }
      return;
    }
    copy.add(m.delta);
    if (m.kind === "rows") {
      each((w) => w.advance());
      return;
    }
    await Promise.all(each((w) => w.finish()));
    self.postMessage({ kind: "done" } satisfies StreamReply);
  } catch (error) {
    failed = true;
    abortAll();
    const message = (error as Error)?.message ?? String(error);
    self.postMessage({ kind: "failed", path: at, message } satisfies StreamReply);
  }
}

/** Removes every file not finished (one finished keeps its name). */
function abortAll(): void {
  for (const w of writers) {
    try {
      w.abort();
    } catch { /* the first failure is the one to report */ }
  }
}
