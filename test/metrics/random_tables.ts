/**
 * Random tables of every column kind, for the writers' tests: each test names the values its
 * columns draw from (few distinct values per column, so repeats are common), the generator
 * picks kinds, widths and lengths from a seeded sequence, so a failure replays.
 */
import { DAY_MS } from "../../calendars/days.ts";
import type { Column, Table } from "../../runtime/metrics/tables/table.ts";

/** The values columns draw from; the kinds not named here use the shared dates and flags. */
export interface Pools {
  numbers: readonly number[];
  ints: readonly number[];
  strings: readonly (string | null)[];
  cells: readonly unknown[];
}

const t0 = Date.UTC(2014, 0, 9);
/** Besides the common ones: before 1970, the first and last years of four digits, and beyond. */
const iso = (s: string) => Date.parse(s);
const DAYS = [
  t0,
  t0,
  t0 + DAY_MS,
  NaN,
  iso("1969-12-31T00:00:00Z"),
  iso("0000-03-01T00:00:00Z"),
  iso("9999-12-31T00:00:00Z"),
  iso("+010000-01-01T00:00:00Z"),
  iso("-000001-12-31T00:00:00Z"),
  iso("2000-02-29T00:00:00Z"),
];
const INSTANTS = [
  t0 + 75_600_000,
  t0 + 75_600_123,
  NaN,
  -1,
  1.5,
  -1.5,
  iso("1900-03-01T09:30:00.05Z"),
  iso("2000-02-29T23:59:59.999Z"),
  iso("0000-01-01T00:00:00Z"),
  iso("9999-12-31T23:59:59.999Z"),
  iso("+010000-01-01T00:00:00Z"),
  iso("-000001-06-01T12:00:00Z"),
  8.64e15,
  -8.64e15,
  Infinity,
];
const FLAGS = [0, 1, true, false];

/** `count` tables of up to `rows` rows and `width` columns, every kind and float style mixed. */
export function randomTables(
  seed: number,
  count: number,
  pools: Pools,
  rows = 40,
  width = 12,
): Table[] {
  const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const of = <T>(n: number, xs: readonly T[]) => Array.from({ length: n }, () => pick(xs));
  const makers: ((n: number, name: string) => Column)[] = [
    (n, name) => ({ name, kind: "day", values: of(n, DAYS) }),
    (n, name) => ({ name, kind: "instant", values: of(n, INSTANTS) }),
    (n, name) => ({ name, kind: "int", values: Float64Array.from(of(n, pools.ints)) }),
    (n, name) => ({
      name,
      kind: "float",
      style: "python",
      values: Float64Array.from(of(n, pools.numbers)),
    }),
    (n, name) => ({ name, kind: "float", style: "plain", values: of(n, pools.numbers) }),
    (n, name) => ({ name, kind: "bool", values: of(n, FLAGS) }),
    (n, name) => ({ name, kind: "text", values: of(n, pools.strings) }),
    (n, name) => ({ name, kind: "cells", values: of(n, pools.cells) }),
  ];
  return Array.from({ length: count }, () => {
    const n = Math.floor(r() * rows), w = 1 + Math.floor(r() * width);
    return { length: n, columns: Array.from({ length: w }, (_, j) => pick(makers)(n, `c${j}`)) };
  });
}
