/**
 * The CSV encoder's rows, written by a function generated for each table's columns: checked
 * against a plain cell-by-cell encoder on random tables of every column kind, in any order, with
 * repeats, gaps and text that needs quoting — and column names that look like code.
 */
import { describe, expect, test } from "vitest";
import { DAY_MS, isoDate, isoInstant } from "../../calendars/days.ts";
import { csvString } from "../../runtime/metrics/tables/csv.ts";
import type { Column, Table } from "../../runtime/metrics/tables/table.ts";
import { randomTables } from "./random_tables.ts";

const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const py = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** One cell as pandas writes it, straight from the rules (no repeats, no fast paths). */
function cell(c: Column, v: unknown): string {
  const n = v as number;
  switch (c.kind) {
    case "day":
      return n === n ? isoDate(n / DAY_MS) : "";
    case "instant":
      return isoInstant(n) ?? "";
    case "int":
      return n === n ? String(Math.round(n)) : "";
    case "float":
      return n === n && v !== null ? (c.style === "python" ? py(n) : String(n)) : "";
    case "bool":
      return v ? "True" : "False";
    case "text":
      return v === null || v === undefined ? "" : quote(v as string);
    default:
      if (v === null || v === undefined || (typeof v === "number" && v !== v)) return "";
      if (typeof v === "number") return py(v);
      if (typeof v === "boolean") return v ? "True" : "False";
      return quote(String(v));
  }
}

function reference(t: Table): string {
  const lines = [t.columns.map((c) => quote(c.name)).join(",")];
  for (let i = 0; i < t.length; i++) {
    lines.push(t.columns.map((c) => cell(c, c.values[i])).join(","));
  }
  return lines.join("\n") + "\n";
}

describe("CSV rows", () => {
  test("random tables of every kind match the cell-by-cell rules", () => {
    const tables = randomTables(11, 60, {
      numbers: [0, -0, 1, -2.5, 0.1, 1 / 3, 1e-7, 123456.7891, 2 ** 40, 1e21, -1e11, NaN],
      ints: [0, 7, -3, 2.6, 2 ** 53, NaN],
      strings: ["AAPL", 'a,"b"', "x\ny", "é", "", null],
      cells: [1, 2.5, NaN, true, "t,x", null, undefined],
    });
    for (const t of tables) {
      expect(csvString(t), JSON.stringify(t.columns.map((c) => c.kind))).toBe(reference(t));
    }
  });

  test("column names are text, never code", () => {
    const names = ['"); throw 1; ("', "`${globalThis.x = 1}`", "a\nb", "}; w = null; {"];
    const t: Table = {
      length: 2,
      columns: names.map((name) => ({ name, kind: "float", style: "plain", values: [1, 2] })),
    };
    expect(csvString(t)).toBe(reference(t));
    expect((globalThis as { x?: number }).x).toBeUndefined();
  });

  test("a table without rows is its header", () => {
    const t: Table = { length: 0, columns: [{ name: "x", kind: "int", values: [] }] };
    expect(csvString(t)).toBe("x\n");
  });
});
