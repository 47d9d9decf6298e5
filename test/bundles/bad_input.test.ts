/**
 * Every kind of bad csvdir input gives one clear error naming the file (and line and column when
 * there is one), leaves no new version, and keeps earlier versions intact.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { type BundleVersion, ingest, IngestError, listVersions, load } from "../../bundles/mod.ts";
import { csvFolder, goodCsv, HEADER, tempRoot } from "./helpers.ts";

let root: string;
let first: BundleVersion;

beforeAll(async () => {
  root = tempRoot();
  first = await ingest("csvdir", {
    root,
    environ: { CSVDIR: csvFolder({ "GOOD.csv": goodCsv() }) },
  });
});

/** Ingests `dir` expecting failure; checks nothing new was left and the first version still reads. */
async function failing(dir: string, options: Record<string, unknown> = {}): Promise<IngestError> {
  const before = readdirSync(join(root, "data", "csvdir")).sort();
  let err: unknown;
  try {
    await ingest("csvdir", { root, environ: { CSVDIR: dir }, options });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(IngestError);
  expect(readdirSync(join(root, "data", "csvdir")).sort()).toEqual(before);
  expect(listVersions(root, "csvdir").map((v) => v.name)).toEqual([first.name]);
  const r = await load("csvdir", { root });
  expect(r.assets.map((a) => a.symbol)).toEqual(["GOOD"]);
  r.close();
  return err as IngestError;
}

const rows = (...lines: string[]) => [HEADER, ...lines].join("\n") + "\n";

describe("bad csvdir input", () => {
  test("a missing column names the file and the column", async () => {
    const e = await failing(
      csvFolder({ "A.csv": "date,open,high,low,volume\n2024-07-01,1,2,0.5,10\n" }),
    );
    expect(e.message).toMatch(/A\.csv:1: column "close": missing column "close"/);
  });
  test("a misnamed column says what was found", async () => {
    const e = await failing(
      csvFolder({ "A.csv": "date,open,high,low,Close,volume\n2024-07-01,1,2,0.5,1,10\n" }),
    );
    expect(e.message).toMatch(/found "Close"; column names are lower case/);
  });
  test("an unparseable number names file, line and column", async () => {
    const e = await failing(
      csvFolder({ "A.csv": rows("2024-07-01,1,2,0.5,1,10,0,1", "2024-07-02,1,2,0.5,abc,10,0,1") }),
    );
    expect(e.file).toMatch(/A\.csv$/);
    expect(e.line).toBe(3);
    expect(e.column).toBe("close");
    expect(e.message).toMatch(/cannot read "abc" as a number/);
  });
  test("an unparseable date names file, line and column", async () => {
    const e = await failing(
      csvFolder({
        "A.csv": rows(
          "2024-07-01,1,2,0.5,1,10,0,1",
          "2024-07-02,1,2,0.5,1,10,0,1",
          "2024-13-01,1,2,0.5,1,10,0,1",
        ),
      }),
    );
    expect([e.line, e.column]).toEqual([4, "date"]);
    expect(e.message).toMatch(/cannot read "2024-13-01" as a date/);
  });
  test("duplicate dates", async () => {
    const e = await failing(
      csvFolder({ "A.csv": rows("2024-07-01,1,2,0.5,1,10,0,1", "2024-07-01,1,2,0.5,1,10,0,1") }),
    );
    expect(e.message).toMatch(/A\.csv:2: column "date": 2024-07-01.* appears more than once/);
  });
  test("high below low is an error naming the line", async () => {
    const e = await failing(
      csvFolder({ "A.csv": rows("2024-07-01,1,2,0.5,1,10,0,1", "2024-07-02,1,0.4,0.5,1,10,0,1") }),
    );
    expect([e.line, e.column]).toEqual([3, "high"]);
    expect(e.message).toMatch(/high is below low on 2024-07-02.*/);
  });
  test("a negative price is an error", async () => {
    const e = await failing(csvFolder({ "A.csv": rows("2024-07-01,-1,2,0.5,1,10,0,1") }));
    expect(e.message).toMatch(/negative price/);
  });
  test("bars on a non-session", async () => {
    const e = await failing(
      csvFolder({ "A.csv": rows("2024-07-03,1,2,0.5,1,10,0,1", "2024-07-04,1,2,0.5,1,10,0,1") }),
    );
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/not a session of calendar XNYS/);
  });
  test("an empty folder", async () => {
    const e = await failing(csvFolder({}));
    expect(e.message).toMatch(/no SYMBOL\.csv files/);
  });
  test("a folder with neither daily/ nor minute/", async () => {
    const e = await failing(csvFolder({ "A.csv": goodCsv() }, "weekly"));
    expect(e.message).toMatch(/neither a daily\/ nor a minute\/ folder/);
  });
  test("a symbol file with no rows", async () => {
    const e = await failing(csvFolder({ "A.csv": goodCsv(), "B.csv": HEADER + "\n" }));
    expect(e.message).toMatch(/B\.csv: no rows \(symbol B\)/);
  });
  test("an empty file", async () => {
    const e = await failing(csvFolder({ "A.csv": "" }));
    expect(e.message).toMatch(/A\.csv:1: empty file/);
  });
  test("a truncated .gz", async () => {
    const gz = gzipSync(new TextEncoder().encode(goodCsv().repeat(50)));
    const e = await failing(csvFolder({ "A.csv.gz": gz.subarray(0, Math.floor(gz.length / 2)) }));
    expect(e.message).toMatch(/A\.csv\.gz/);
  });
  test("--lenient drops bad price rows and reports the count", async () => {
    const dir = csvFolder({
      "A.csv": rows(
        "2024-07-01,1,2,0.5,1,10,0,1",
        "2024-07-02,1,0.4,0.5,1,10,0,1",
        "2024-07-03,-1,2,0.5,1,10,0,1",
      ),
    });
    const notes: string[] = [];
    const progress = { start() {}, tick() {}, done() {}, note: (m: string) => notes.push(m) };
    const root2 = tempRoot();
    await ingest("csvdir", {
      root: root2,
      environ: { CSVDIR: dir },
      options: { lenient: true },
      progress,
    });
    expect(notes.join("\n")).toMatch(/dropped 2 bad row/);
    const r = await load("csvdir", { root: root2 });
    const [{ n }] = await r.sql("SELECT count(*)::INTEGER AS n FROM daily_bars");
    expect(n).toBe(1);
    r.close();
  });
  test("gzip files are read", async () => {
    const root2 = tempRoot();
    await ingest("csvdir", {
      root: root2,
      environ: { CSVDIR: csvFolder({ "Z.csv.gz": gzipSync(new TextEncoder().encode(goodCsv())) }) },
    });
    const r = await load("csvdir", { root: root2 });
    expect(r.assets[0].symbol).toBe("Z");
    r.close();
  });
  test("a missing csvdir is a clear error", async () => {
    await expect(ingest("csvdir", { root, environ: {} })).rejects.toThrow(
      /pass --csvdir DIR or set CSVDIR/,
    );
    expect(existsSync(join(root, "data", "csvdir", first.name, "bundle.duckdb"))).toBe(true);
    expect(readFileSync(join(root, "data", "csvdir", first.name, "bundle.duckdb")).length)
      .toBeGreaterThan(0);
  });
});
