/**
 * CSV and JSON written in pieces (`-o x.csv`, `-o x.json`): the pieces, one after another, are the
 * whole encoding byte for byte at any piece size — a repeated date or instant is copied only from
 * inside its own piece, never from a buffer emptied since — each piece is whole rows, a piece
 * stays intact until the one after the next is asked for, and `writePieces` puts them in a real
 * file in order, replacing an earlier file only once the new one is whole.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { writePieces } from "../../runtime/fs.ts";
import { PieceWriters } from "../../runtime/metrics/tables/bytes.ts";
import { csvPieces, encodeCsv } from "../../runtime/metrics/tables/csv.ts";
import { encodeJsonRecords, jsonPieces } from "../../runtime/metrics/tables/json.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";
import { randomTables } from "./random_tables.ts";
import { inBlocks, joined } from "./blocks.ts";

const tables = randomTables(
  17,
  30,
  {
    numbers: [0, 1, -2.5, 1 / 3, 1e21, NaN],
    ints: [0, 7, NaN],
    strings: ["AAPL", 'a,"b"', "é", null],
    cells: [1, 2.5, true, "t,x", null],
  },
  120,
);

const WRITERS = [
  { name: "CSV", pieces: csvPieces, whole: encodeCsv, rowEnd: "\n" },
  { name: "JSON", pieces: jsonPieces, whole: encodeJsonRecords, rowEnd: "}" },
] as const;

/** Each piece as it was handed out, and as it still was when the next one came. */
function collect(pieces: Iterable<Uint8Array>): { fresh: Uint8Array[]; kept: Uint8Array[] } {
  const fresh: Uint8Array[] = [], kept: Uint8Array[] = [];
  let previous: Uint8Array | null = null;
  for (const p of pieces) {
    if (previous) kept.push(previous.slice());
    fresh.push(p.slice());
    previous = p;
  }
  if (previous) kept.push(previous.slice());
  return { fresh, kept };
}

describe.each(WRITERS)("$name in pieces", ({ pieces, whole, rowEnd }) => {
  test("the pieces are the whole encoding at every size, each of whole rows", () => {
    let split = 0;
    for (const t of tables) {
      const all = whole(t);
      for (const size of [1, 37, 500, 1 << 20]) {
        const { fresh, kept } = collect(pieces(t, size));
        expect(joined(fresh), `size ${size}`).toEqual(all);
        // Intact until the one after the next: unchanged once the next piece is made.
        expect(kept).toEqual(fresh);
        fresh.slice(0, -1).forEach((p) => {
          expect(p.length).toBeGreaterThanOrEqual(size);
          expect(String.fromCharCode(p[p.length - 1])).toBe(rowEnd);
        });
        if (fresh.length > 1) split++;
      }
    }
    expect(split).toBeGreaterThan(30); // most tables did break into pieces
  });

  test("a table handed out in blocks (reused arrays) writes what the whole table writes", () => {
    for (const t of tables) {
      const all = whole(t);
      for (const k of [1, 3, 50]) {
        for (const size of [1, 37, 1 << 20]) {
          const { fresh, kept } = collect(pieces(inBlocks(t, k), size));
          expect(joined(fresh), `blocks of ${k}, size ${size}`).toEqual(all);
          expect(kept).toEqual(fresh);
        }
      }
    }
  });

  test("a table without rows is one piece", () => {
    const t: Table = { length: 0, columns: [{ name: "x", kind: "int", values: [] }] };
    expect(collect(pieces(t, 1)).fresh).toEqual([whole(t)]);
  });

  test("names that send JSON rows down the general path (an index, a repeat) split the same", () => {
    const n = 50,
      days = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1 + (i >> 3)));
    const t: Table = {
      length: n,
      columns: [
        { name: "0", kind: "day", values: days },
        {
          name: "x",
          kind: "float",
          style: "plain",
          values: Float64Array.from({ length: n }, (_, i) => i / 7),
        },
        { name: "x", kind: "text", values: Array.from({ length: n }, (_, i) => `s${i % 3}`) },
      ],
    };
    for (const size of [1, 60, 1 << 20]) {
      expect(joined(collect(pieces(t, size)).fresh), `size ${size}`).toEqual(whole(t));
    }
  });
});

describe("outputs one after the other through one pair of buffers (writeTables)", () => {
  for (const { name, pieces, whole } of WRITERS) {
    test(`${name}: each output is its whole encoding, nothing carried over from the one before`, () => {
      const turns = new PieceWriters(80);
      for (const size of [1, 60, 1 << 20]) {
        for (const t of tables) {
          const got = joined(collect(pieces(t, size, undefined, turns)).fresh);
          expect(got, `size ${size}`).toEqual(whole(t));
        }
      }
    });
  }
});

describe("writePieces", () => {
  const dir = mkdtempSync(join(tmpdir(), "hv-pieces-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("writes the pieces in order into the file, replacing what was there", async () => {
    const t = tables.reduce((a, b) => (a.length >= b.length ? a : b));
    const path = join(dir, "t.csv");
    Deno.writeTextFileSync(path, "old content that is longer than nothing ".repeat(1000));
    await writePieces(path, csvPieces(t, 64));
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeCsv(t));
  });

  function* failing(): Generator<Uint8Array> {
    yield new TextEncoder().encode("a,b\n");
    throw new Error("the encoder's failure");
  }

  test("a maker that fails mid-file fails the write with its error, its last piece written", async () => {
    const path = join(dir, "failing.csv");
    await expect(writePieces(path, failing())).rejects.toThrow("the encoder's failure");
    expect(readFileSync(path, "utf8")).toBe("a,b\n");
  });

  test("replacing a file: a failed write leaves the earlier file whole, and no file beside it", async () => {
    const sub = mkdtempSync(join(dir, "replace-"));
    const path = join(sub, "perf.csv");
    Deno.writeTextFileSync(path, "the earlier run\n");
    await expect(writePieces(path, failing())).rejects.toThrow("the encoder's failure");
    expect(readFileSync(path, "utf8")).toBe("the earlier run\n");
    expect([...Deno.readDirSync(sub)].map((e) => e.name)).toEqual(["perf.csv"]);
    // A successful write replaces it (a new file renamed over it), again with nothing beside it.
    const before = Deno.statSync(path).ino;
    await writePieces(path, [new TextEncoder().encode("x\n")]);
    expect(readFileSync(path, "utf8")).toBe("x\n");
    expect(Deno.statSync(path).ino).not.toBe(before);
    expect([...Deno.readDirSync(sub)].map((e) => e.name)).toEqual(["perf.csv"]);
  });

  test("a link is written through, not replaced", async () => {
    const target = join(dir, "target.csv"), link = join(dir, "link.csv");
    Deno.writeTextFileSync(target, "old\n");
    Deno.symlinkSync(target, link);
    await writePieces(link, [new TextEncoder().encode("new\n")]);
    expect(Deno.lstatSync(link).isSymlink).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("new\n");
  });

  test("a file in a folder that takes no new file is written in place", async () => {
    const sub = mkdtempSync(join(dir, "locked-"));
    const path = join(sub, "perf.csv");
    Deno.writeTextFileSync(path, "old\n");
    Deno.chmodSync(sub, 0o555);
    try {
      // As root the folder's mode stops nothing; the write goes through either way.
      await writePieces(path, [new TextEncoder().encode("new\n")]);
      expect(readFileSync(path, "utf8")).toBe("new\n");
      expect([...Deno.readDirSync(sub)].map((e) => e.name)).toEqual(["perf.csv"]);
    } finally {
      Deno.chmodSync(sub, 0o755);
    }
  });

  test("a folder that is not there fails the write", async () => {
    await expect(writePieces(join(dir, "no", "t.csv"), csvPieces(tables[0])))
      .rejects.toBeInstanceOf(Deno.errors.NotFound);
  });
});
