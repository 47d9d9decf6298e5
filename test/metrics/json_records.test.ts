/**
 * The JSON records writer: byte for byte `JSON.stringify` of each row object `rowOf` makes, on
 * random tables of every column kind — and on the names and values where a row object's keys are
 * not the table's columns in order.
 */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { encodeJsonRecords } from "../../runtime/metrics/tables/json.ts";
import { rowOf, type Table } from "../../runtime/metrics/tables/table.ts";
import { randomTables } from "./random_tables.ts";

const text = new TextDecoder();

/** What `-o x.json` wrote before this writer: each row object through JSON.stringify. */
function reference(t: Table): string {
  const rows = Array.from({ length: t.length }, (_, i) => JSON.stringify(rowOf(t, i)));
  return `[${rows.join(",\n")}]\n`;
}

const written = (t: Table) => text.decode(encodeJsonRecords(t));

describe("JSON records", () => {
  test("random tables of every kind are JSON.stringify's bytes", () => {
    const asset = new Asset(24, "AAPL", "Apple", "NASDAQ", 0, 1, 1);
    const tables = randomTables(
      5,
      80,
      {
        numbers: [0, -0, 3, -2.5, 0.1, 1 / 3, 1e-7, 1e21, 2 ** 53, NaN, Infinity, -Infinity],
        ints: [0, 7, -3, NaN],
        strings: [
          "AAPL",
          'a"b',
          "back\\slash",
          "tab\there",
          "\u0001",
          "é",
          "😀",
          "\ud800",
          "",
          null,
        ],
        cells: [1.5, NaN, true, "x,y", null, undefined, asset, { a: [1, 2] }, () => 1],
      },
      30,
      10,
    );
    for (const t of tables) {
      expect(written(t), JSON.stringify(t.columns.map((c) => c.kind))).toBe(reference(t));
    }
  });

  test("names that are not keys in table order: indices, __proto__, repeats, quotes", () => {
    for (
      const names of [
        ["b", "1", "a", "0"],
        ["__proto__", "x"],
        ["x", "x"],
        ['q"uote', "back\\slash", "é"],
      ]
    ) {
      const t: Table = {
        length: 2,
        columns: names.map((name, j) => ({
          name,
          kind: "float",
          style: "plain",
          values: [j, j + 0.5],
        })),
      };
      expect(written(t), names.join()).toBe(reference(t));
    }
  });

  test("no rows, no columns", () => {
    const none: Table = { length: 0, columns: [{ name: "x", kind: "int", values: [] }] };
    expect(written(none)).toBe("[]\n");
    const bare: Table = { length: 2, columns: [] };
    expect(written(bare)).toBe(reference(bare));
  });
});
