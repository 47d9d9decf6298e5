/**
 * `BundleReader.loadDaily` (one list of rows per asset from DuckDB): each value lands at its
 * asset's slot in the order the sids were asked for and at its session, whatever order the
 * bundle stores the assets in; a session without a bar is NaN (volume 0); a window inside the
 * data holds only its sessions; an asset not asked for, or without a bar in the window, is
 * left out or left empty.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest, load, register } from "../../bundles/mod.ts";
import type { BundleReader } from "../../bundles/reader/bundle_reader.ts";
import { csvFolder, HEADER, tempRoot } from "./helpers.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const row = (d: string, close: number, volume: number) =>
  `${d},${close},${close + 1},${close - 1},${close},${volume},0,1`;

// AAA trades every session of 1–9 July 2024; BBB misses 3 July; CCC only trades on 8–9 July.
const FILES = {
  "AAA.csv": [
    HEADER,
    ...["01", "02", "03", "05", "08", "09"].map((d, i) => row(`2024-07-${d}`, 10 + i, 100 + i)),
  ].join("\n"),
  "BBB.csv": [
    HEADER,
    ...["01", "02", "05", "08", "09"].map((d, i) => row(`2024-07-${d}`, 20 + i, 200 + i)),
  ].join("\n"),
  "CCC.csv": [HEADER, row("2024-07-08", 30, 300), row("2024-07-09", 31, 301)].join("\n"),
};

let root: string, reader: BundleReader;
beforeAll(async () => {
  root = tempRoot();
  const { csvdir_equities } = await import("../../bundles/mod.ts");
  register("load-daily", csvdir_equities({ csvdir: csvFolder(FILES) }), { calendar_name: "XNYS" });
  await ingest("load-daily", { root });
  reader = await load("load-daily", { root });
});
afterAll(() => reader?.close());

const sid = (symbol: string) => reader.assets.find((a) => a.symbol === symbol)!.sid;

describe("loadDaily", () => {
  test("values at the slot of the sids' order and at their sessions; gaps NaN, volume 0", async () => {
    const sids = [sid("CCC"), sid("AAA"), sid("BBB")];
    const b = await reader.loadDaily(sids, day("2024-07-01"), day("2024-07-09"), [
      "close",
      "volume",
    ]);
    expect(Array.from(b.sessions)).toEqual(
      ["01", "02", "03", "05", "08", "09"].map((d) => day(`2024-07-${d}`)),
    );
    const n = b.sessions.length;
    const close = (k: number) => Array.from(b.fields.close!.subarray(k * n, (k + 1) * n));
    const volume = (k: number) => Array.from(b.fields.volume!.subarray(k * n, (k + 1) * n));
    expect(close(0)).toEqual([NaN, NaN, NaN, NaN, 30, 31]);
    expect(volume(0)).toEqual([0, 0, 0, 0, 300, 301]);
    expect(close(1)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(close(2)).toEqual([20, 21, NaN, 22, 23, 24]);
    expect(volume(2)).toEqual([200, 201, 0, 202, 203, 204]);
    expect(b.fields.open).toBeUndefined();
  });

  test("a window inside the data, a subset of the assets, every field", async () => {
    const b = await reader.loadDaily([sid("BBB")], day("2024-07-03"), day("2024-07-05"));
    expect(Array.from(b.sessions)).toEqual([day("2024-07-03"), day("2024-07-05")]);
    expect(Array.from(b.fields.close!)).toEqual([NaN, 22]);
    expect(Array.from(b.fields.high!)).toEqual([NaN, 23]);
    expect(Array.from(b.fields.low!)).toEqual([NaN, 21]);
    expect(Array.from(b.fields.volume!)).toEqual([0, 202]);
  });

  test("an asset without a bar in the window is all NaN", async () => {
    const b = await reader.loadDaily(
      [sid("CCC"), sid("AAA")],
      day("2024-07-01"),
      day("2024-07-02"),
      [
        "close",
      ],
    );
    expect(Array.from(b.fields.close!)).toEqual([NaN, NaN, 10, 11]);
  });
});
