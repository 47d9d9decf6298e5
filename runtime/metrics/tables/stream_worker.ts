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

/**
 * What the thread does with what it is sent (one per thread; the module only wires it to the
 * thread's messages): one message at a time, each after the one before is done — opening
 * Parquet's writer waits for its module, and rows sent meanwhile must wait for the files.
 */
export class TableWriterThread {
  readonly #copy = new RecorderReplica();
  readonly #writers: SideTableWriter[] = [];
  #failed = false;
  /** The file being written when something failed (the first, before any is opened). */
  #at = "";
  #turn = Promise.resolve();

  constructor(private readonly reply: (r: StreamReply) => void) {}

  receive(m: StreamRequest): void {
    this.#turn = this.#turn.then(() => this.#handle(m));
  }

  async #handle(m: StreamRequest): Promise<void> {
    if (m.kind === "abort") {
      this.#abortAll();
      this.reply({ kind: "aborted" });
      return;
    }
    if (this.#failed) return;
    try {
      if (m.kind === "open") {
        const pq = m.format === ".parquet" ? await parquetWriter() : undefined;
        // One by one into the list: a file that cannot be opened leaves those before to abort.
        for (const [name, table] of Object.entries(SIDE_TABLES)) {
          this.#at = m.paths[name as keyof typeof SIDE_TABLES];
          this.#writers.push(
            new SideTableWriter(this.#at, table, this.#copy, m.format, m.blockRows, pq),
          );
        }
        return;
      }
      this.#copy.add(m.delta);
      if (m.kind === "rows") {
        this.#each((w) => w.advance());
        return;
      }
      await Promise.all(this.#each((w) => w.finish()));
      this.reply({ kind: "done" });
    } catch (error) {
      this.#failed = true;
      this.#abortAll();
      this.reply({
        kind: "failed",
        path: this.#at,
        message: (error as Error)?.message ?? String(error),
      });
    }
  }

  /** `step` for each file in turn, noting which. */
  #each(step: (w: SideTableWriter) => unknown): unknown[] {
    return this.#writers.map((w) => {
      this.#at = w.path;
      return step(w);
    });
  }

  /** Removes every file not finished (one finished keeps its name). */
  #abortAll(): void {
    for (const w of this.#writers) {
      try {
        w.abort();
      } catch { /* the first failure is the one to report */ }
    }
  }
}

// As a thread's module: its messages to one writer, its replies back.
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  const thread = new TableWriterThread((r) => self.postMessage(r));
  self.onmessage = (e: MessageEvent<StreamRequest>) => thread.receive(e.data);
}
