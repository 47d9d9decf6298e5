/**
 * The JSON records writer: byte for byte `JSON.stringify` of each row object `rowOf` makes, on
 * random tables of every column kind — and on the names and values where a row object's keys are
 * not the table's columns in order.
 */
import { describe, expect, test } from "vitest";
import { DAY_MS } from "../../calendars/days.ts";
import { Asset } from "../../runtime/assets/asset.ts";
import { encodeJsonRecords } from "../../runtime/metrics/tables/json.ts";
import { type Column, rowOf, type Table } from "../../runtime/metrics/tables/table.ts";

const text = new TextDecoder();

/** What `-o x.json` wrote before this writer: each row object through JSON.stringify. */
function reference(t: Table): string {
  const rows = Array.from({ length: t.length }, (_, i) => JSON.stringify(rowOf(t, i)));
  return `[${rows.join(",\n")}]\n`;
}

const written = (t: Table) => text.decode(encodeJsonRecords(t));

describe("JSON records", () => {
  test("random tables of every kind are JSON.stringify's bytes", () => {
    let seed = 5;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    const t0 = Date.UTC(2014, 0, 9);
    const numbers = [0, -0, 3, -2.5, 0.1, 1 / 3, 1e-7, 1e21, 2 ** 53, NaN, Infinity, -Infinity];
    const strings = ["AAPL", 'a"b', "back\\slash", "tab\there", "\u0001", "é", "😀", "\ud800", ""];
    const asset = new Asset(24, "AAPL", "Apple", "NASDAQ", 0, 1, 1);
    const makers: Record<string, (n: number) => Column> = {
      day: (n) => ({
        name: "d",
        kind: "day",
        values: Array.from({ length: n }, () => pick([t0, t0 + DAY_MS, NaN])),
      }),
      instant: (n) => ({
        name: "t",
        kind: "instant",
        values: Array.from({ length: n }, () => pick([t0 + 75_600_000, t0 + 75_600_123, NaN])),
      }),
      int: (n) => ({
        name: "i",
        kind: "int",
        values: Float64Array.from({ length: n }, () => pick([0, 7, -3, NaN])),
      }),
      float: (n) => ({
        name: "f",
        kind: "float",
        style: pick(["python", "plain"] as const),
        values: Array.from({ length: n }, () => pick(numbers)),
      }),
      bool: (n) => ({
        name: "b",
        kind: "bool",
        values: Array.from({ length: n }, () => pick([0, 1, true, false])),
      }),
      text: (n) => ({
        name: "s",
        kind: "text",
        values: Array.from({ length: n }, () => pick([...strings, null])),
      }),
      cells: (n) => ({
        name: "c",
        kind: "cells",
        values: Array.from(
          { length: n },
          () => pick([1.5, NaN, true, "x,y", null, undefined, asset, { a: [1, 2] }, () => 1]),
        ),
      }),
    };
    const kinds = Object.keys(makers);
    for (let k = 0; k < 80; k++) {
      const n = Math.floor(r() * 30), width = 1 + Math.floor(r() * 10);
      const columns = Array.from({ length: width }, (_, j) => {
        const c = makers[pick(kinds)](n);
        return { ...c, name: `${c.name}${j}` } as Column;
      });
      const t: Table = { length: n, columns };
      expect(written(t), JSON.stringify(columns.map((c) => c.kind))).toBe(reference(t));
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
