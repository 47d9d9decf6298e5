/**
 * `-o x.csv` (`.json`, `.arrow`, `.parquet`) written while the run goes on (`output_stream.ts`): the
 * recorder's copy on the other thread holds what the recorder holds, however its rows were cut
 * into deltas; the files are the bytes `writeResults` writes for the finished run — also for a
 * failed run's partial results;
 * a stream given up leaves no file it began and any earlier output as it was; a side file that
 * cannot be written fails naming it, leaving no half-written file.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { EODCancel, order, order_target_percent, symbol } from "../../runtime/api/mod.ts";
import { writeResults } from "../../runtime/engine/output.ts";
import { outputThread, TableStream } from "../../runtime/engine/output_stream.ts";
import { type StreamReply, TableWriterThread } from "../../runtime/metrics/tables/stream_worker.ts";
import { run_algorithm, type RunOptions } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { FileWriteError } from "../../runtime/fs.ts";
import type { RecordedData } from "../../runtime/metrics/recorder.ts";
import { RecorderFeed, RecorderReplica } from "../../runtime/metrics/recorder_delta.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { csvString } from "../../runtime/metrics/tables/csv.ts";
import {
  ordersTable,
  positionsTable,
  transactionsTable,
} from "../../runtime/metrics/tables/recorder_tables.ts";
import { BLOCK_ROWS } from "../../runtime/metrics/tables/table.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
}, 120_000);

/**
 * Three assets held in changing amounts (position rows whose amount changes mid-table), limit and
 * stop orders (rows with prices), orders cancelled at the day's end, and a fill on most days.
 */
function busy(failAt = Infinity): Strategy {
  return {
    initialize: async (c) => {
      c.assets = await Promise.all(["AAPL", "MSFT", "INTC"].map((s) => symbol(s)));
      c.set_cancel_policy(new EODCancel());
      c.n = 0;
    },
    handle_data: async (c, data) => {
      if (++c.n === failAt) throw new Error("the strategy's own fault");
      for (const [k, a] of (c.assets as Awaited<ReturnType<typeof symbol>>[]).entries()) {
        const p = (await data.current(a, "price")) as number;
        await order_target_percent(a, ((c.n + k) % 4) / 10);
        if ((c.n + k) % 3 === 0) await order(a, 5, { limit_price: p * 0.98 });
        if ((c.n + k) % 5 === 0) await order(a, -4, { stop_price: p * 1.02 });
      }
    },
  };
}

const RANGE = { start: "2012-01-03", end: "2013-06-28" } as const;

function run(strategy: Strategy, more: Partial<RunOptions> = {}): Promise<Results> {
  return run_algorithm({ strategy, ...RANGE, root, no_benchmark: true, ...more });
}

const sideCsv = (d: Parameters<typeof positionsTable>[0]) => [
  csvString(positionsTable(d)),
  csvString(ordersTable(d)),
  csvString(transactionsTable(d)),
];

const TABLES = ["", "_positions", "_orders", "_transactions"];

function sameFiles(a: string, b: string, ext = "csv"): void {
  for (const t of TABLES) {
    const x = readFileSync(join(a, `r${t}.${ext}`)), y = readFileSync(join(b, `r${t}.${ext}`));
    expect(x.length, t).toBeGreaterThan(0);
    expect(Buffer.compare(x, y), `r${t}.${ext} differs`).toBe(0);
  }
}

describe("the recorder's copy", () => {
  test("holds the same tables however the rows were cut into deltas", async () => {
    for (const every of [1, 7, 40]) {
      const feed = new RecorderFeed(), copy = new RecorderReplica();
      let i = 0, shared = false;
      const r = await run(busy(), {
        recorded: {
          session(d: RecordedData) {
            // From the third session on, new chunks are shared memory (viewed, not copied).
            if (++i === 3 && !shared) RecorderFeed.share(d), shared = true;
            if (i % every === 0) copy.add(structuredClone(feed.take(d)));
          },
        },
      });
      copy.add(feed.take(r.recorderData));
      const orders = r.orders;
      expect(orders.some((o) => o.limit !== null) && orders.some((o) => o.stop !== null)).toBe(
        true,
      );
      expect(orders.some((o) => o.status === 2)).toBe(true); // cancelled at the day's end
      expect(sideCsv(copy)).toEqual(sideCsv(r.recorderData));
    }
  }, 120_000);
});

describe("-o x.csv written while the run goes on", () => {
  test("CSV and JSON: the same bytes as the files written after the run", async () => {
    const dir = mkdtempSync(join(root, "stream-"));
    mkdirSync(join(dir, "a")), mkdirSync(join(dir, "b"));
    // Small sizes: many deltas, blocks cut anywhere.
    const streams = ["csv", "json"].map((ext) =>
      TableStream.open(join(dir, "a", `r.${ext}`), true, { send: 50, block: 37 })!
    );
    const r = await run(busy(), {
      recorded: { session: (d) => streams.forEach((s) => s.session(d)) },
    });
    expect(r.orders.length).toBeGreaterThan(1000);
    expect(await streams[0].finish(r)).toEqual(TABLES.map((t) => join(dir, "a", `r${t}.csv`)));
    await streams[1].finish(r);
    for (const ext of ["csv", "json"]) {
      await writeResults(r, join(dir, "b", `r.${ext}`), () => {});
      sameFiles(join(dir, "a"), join(dir, "b"), ext);
    }
    expect(readdirSync(join(dir, "a")).sort()).toEqual(
      ["csv", "json"].flatMap((ext) => TABLES.map((t) => `r${t}.${ext}`)).sort(),
    );
  }, 120_000);

  test(
    "Arrow and Parquet: the same bytes; Arrow cut into other batches, the same table",
    async () => {
      const dir = mkdtempSync(join(root, "stream-arrow-"));
      const streams = [
        TableStream.open(join(dir, "a", "r.arrow"), true, { send: 500, block: BLOCK_ROWS })!,
        TableStream.open(join(dir, "a", "r.parquet"), true, { send: 700, block: BLOCK_ROWS })!,
        TableStream.open(join(dir, "c", "r.arrow"), true, { send: 30, block: 37 })!,
      ];
      const r = await run(busy(), {
        start: "2006-01-03",
        recorded: { session: (d) => streams.forEach((s) => s.session(d)) },
      });
      expect(r.orders.length).toBeGreaterThan(2 * BLOCK_ROWS); // several blocks
      for (const s of streams) await s.finish(r);
      for (const ext of ["arrow", "parquet"]) {
        await writeResults(r, join(dir, "b", `r.${ext}`), () => {});
        sameFiles(join(dir, "a"), join(dir, "b"), ext);
      }
      const arrow = await import("apache-arrow");
      for (const t of TABLES) {
        const read = (d: string) => arrow.tableFromIPC(readFileSync(join(dir, d, `r${t}.arrow`)));
        const [small, whole] = [read("c"), read("b")];
        // The perf table is written here, whole, by either.
        if (t !== "") expect(small.batches.length).toBeGreaterThan(whole.batches.length);
        expect(small.toArray().map((row) => row.toJSON())).toEqual(
          whole.toArray().map((row) => row.toJSON()),
        );
      }
    },
    120_000,
  );

  test("a failed run's partial results: the same bytes too", async () => {
    const dir = mkdtempSync(join(root, "stream-failed-"));
    const stream = TableStream.open(join(dir, "a", "r.csv"), true, { send: 20, block: 16 })!;
    let partial: Results | null = null;
    await expect(run(busy(100), {
      recorded: stream,
      on_failure: ({ results }) => void (partial = results),
    })).rejects.toThrow("the strategy's own fault");
    expect(partial!.length).toBe(99);
    await stream.finish(partial!);
    await writeResults(partial!, join(dir, "b", "r.csv"), () => {});
    sameFiles(join(dir, "a"), join(dir, "b"));
  }, 120_000);

  test("given up: no file it began is left, an earlier output stays", async () => {
    const dir = mkdtempSync(join(root, "stream-cancel-"));
    writeFileSync(join(dir, "r_orders.csv"), "earlier\n");
    const stream = TableStream.open(join(dir, "r.csv"), true, { send: 10, block: 8 })!;
    await run(busy(), { ...RANGE, end: "2012-03-30", recorded: stream });
    await stream.cancel();
    expect(readdirSync(dir)).toEqual(["r_orders.csv"]);
    expect(readFileSync(join(dir, "r_orders.csv"), "utf8")).toBe("earlier\n");
    // Folders made for the output go again; one that holds something else stays.
    const fresh = TableStream.open(join(dir, "new", "deeper", "r.csv"), true)!;
    expect(readdirSync(dir)).toContain("new");
    await fresh.cancel();
    expect(readdirSync(dir)).toEqual(["r_orders.csv"]);
  }, 120_000);

  test("a side file that cannot be written: an error naming it, nothing half-written", async () => {
    const dir = mkdtempSync(join(root, "stream-broken-"));
    mkdirSync(join(dir, "r_orders.csv")); // a folder where the file would go
    const stream = TableStream.open(join(dir, "r.csv"), true, { send: 10, block: 8 })!;
    const r = await run(busy(), { ...RANGE, end: "2012-03-30", recorded: stream });
    const failure = await stream.finish(r).catch((e) => e);
    expect(failure).toBeInstanceOf(FileWriteError);
    expect(failure.message).toContain(join(dir, "r_orders.csv"));
    expect(readdirSync(dir).filter((f) => /\.tmp-|\.old-/.test(f))).toEqual([]);
    expect(existsSync(join(dir, "r_positions.csv"))).toBe(false);
  }, 120_000);

  test("a thread that does not start: the tables are written here instead", async () => {
    const dir = mkdtempSync(join(root, "stream-lost-"));
    const module = new URL("./no_such_writer.ts", import.meta.url).href;
    const stream = TableStream.open(join(dir, "a", "r.csv"), true, { send: 10, block: 8, module })!;
    const r = await run(busy(), { ...RANGE, end: "2012-03-30", recorded: stream });
    await stream.finish(r);
    await writeResults(r, join(dir, "b", "r.csv"), () => {});
    sameFiles(join(dir, "a"), join(dir, "b"));
    expect(readdirSync(join(dir, "a")).length).toBe(4);
  }, 120_000);
});

describe("the writing thread's messages, in process", () => {
  test("one at a time in order; after a failure only the abort is answered", async () => {
    const dir = mkdtempSync(join(root, "thread-"));
    mkdirSync(join(dir, "r_transactions.parquet")); // the third file cannot be made
    const replies: StreamReply[] = [];
    let answered!: () => void;
    const both = new Promise<void>((resolve) => answered = resolve);
    const thread = new TableWriterThread((r) => replies.push(r) === 2 && answered());
    const paths = {
      positions: join(dir, "r_positions.parquet"),
      orders: join(dir, "r_orders.parquet"),
      transactions: join(dir, "r_transactions.parquet"),
    };
    // Parquet's module loads while the open waits: the rest wait for it.
    thread.receive({ kind: "open", paths, format: ".parquet", blockRows: 8 });
    thread.receive({ kind: "abort" });
    await both;
    expect(replies[0]).toMatchObject({ kind: "failed", path: paths.transactions });
    expect(replies[1]).toEqual({ kind: "aborted" });
    expect(readdirSync(dir)).toEqual(["r_transactions.parquet"]); // the two begun are removed
  });
});

describe("whether -o gets a thread of its own", () => {
  test("three cores or more, unless HARVESTER_OUTPUT_THREAD says", () => {
    expect(outputThread(undefined, 2)).toBe(false);
    expect(outputThread(undefined, 3)).toBe(true);
    expect(outputThread("", 8)).toBe(true);
    expect(outputThread("on", 1)).toBe(true);
    expect(outputThread("off", 16)).toBe(false);
    expect(() => outputThread("yes", 4)).toThrow(
      /HARVESTER_OUTPUT_THREAD: use on or off \(unset: on with 3 cores or more\) \(got "yes"\)/,
    );
  });

  test("no thread for stdout, a file of no format, or when told off", () => {
    const dir = mkdtempSync(join(root, "stream-none-"));
    expect(TableStream.open(join(dir, "r.txt"), true)).toBeNull();
    expect(TableStream.open("-", true)).toBeNull();
    expect(TableStream.open(join(dir, "r.csv"), false)).toBeNull();
  });
});
