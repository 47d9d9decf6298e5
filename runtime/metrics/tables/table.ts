/**
 * A results table as typed columns, the one shape every writer (CSV, Arrow, Parquet) encodes: no
 * object per row, so writing 300,000 rows costs the encoding and nothing else.
 *
 * @module
 */
import { DAY_MS, isoDate, isoInstant } from "../../../calendars/days.ts";

/** Numbers of a column: a typed array or a plain array (NaN for a missing value). */
export type Numbers = ArrayLike<number>;

/**
 * One column and how it reads:
 * - `day`: UTC-midnight ms, written `2014-01-09`;
 * - `instant`: ms since the epoch, written `2014-01-09T21:00:00Z` (milliseconds only when set);
 * - `int`: whole numbers (rounded);
 * - `float`: `python` writes whole numbers as pandas does (`3.0`), `plain` as JavaScript (`3`);
 * - `bool`: `True` / `False` (1 / 0, or booleans);
 * - `text`: strings, null for missing; `ids` when (nearly) every value differs;
 * - `cells`: a recorded column, whatever the strategy recorded (numbers as `python` floats).
 */
export type Column =
  | { name: string; kind: "day" | "instant" | "int"; values: Numbers }
  | { name: string; kind: "float"; style: "python" | "plain"; values: Numbers }
  | { name: string; kind: "bool"; values: ArrayLike<number | boolean> }
  | { name: string; kind: "text"; values: ArrayLike<string | null>; ids?: boolean }
  | { name: string; kind: "cells"; values: ArrayLike<unknown> };

export interface Table {
  readonly length: number;
  readonly columns: readonly Column[];
  /**
   * The same rows as successive tables of at most `size` rows, the first even when there are no
   * rows, whose column arrays are reused from one block to the next: a block holds until the next
   * is asked for. The writers that go row by row (CSV, JSON) read a table this way so a long one
   * is never held whole (see `blocked.ts`); without it a table is one block.
   */
  blocks?(size: number): Iterable<Table>;
}

/** Rows of a table made at a time for writing (see `blocked.ts`): a few hundred KB of arrays. */
export const BLOCK_ROWS = 4096;

/** `t`'s rows a block at a time ({@link Table.blocks}), or `t` as its one block. */
export function blocksOf(t: Table, size = BLOCK_ROWS): Iterable<Table> {
  return t.blocks ? t.blocks(size) : [t];
}

/** A float column from an array of numbers or nulls (null becomes NaN). */
export function numbers(values: ArrayLike<number | null>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? NaN;
  return out;
}

/**
 * What a recorded (`cells`) column holds, for the typed writers: numbers stay numbers, flags
 * flags, anything else is written as its text. Missing values do not count.
 */
export function cellsType(
  values: ArrayLike<unknown>,
  length = values.length,
): "number" | "boolean" | "text" {
  let numbers = true, flags = true;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    numbers &&= typeof v === "number";
    flags &&= typeof v === "boolean";
  }
  return numbers ? "number" : flags ? "boolean" : "text";
}

/** A cell of a row object: numbers (null for NaN), ISO texts for dates and times, flags, text. */
export type RowCell = number | string | boolean | null | undefined;

/**
 * Row `i` as an object, as notebooks and JSON read it: dates and instants as ISO texts, NaN as
 * null, a recorded value as recorded (null where nothing was).
 */
export function rowOf(t: Table, i: number): Record<string, RowCell> {
  const out: Record<string, RowCell> = {};
  for (const c of t.columns) {
    const v = c.values[i];
    switch (c.kind) {
      case "day":
        out[c.name] = isoDate((v as number) / DAY_MS);
        break;
      case "instant":
        out[c.name] = isoInstant(v as number);
        break;
      case "int":
      case "float":
        out[c.name] = v === v ? v as number : null;
        break;
      case "bool":
        out[c.name] = Boolean(v);
        break;
      default:
        out[c.name] = v === undefined ? null : v as RowCell;
    }
  }
  return out;
}
