import { describe, expect, test } from "vitest";
import { arrowTable } from "../../runtime/metrics/tables/arrow.ts";
import type { Table } from "../../runtime/metrics/tables/table.ts";

describe("Arrow columns", () => {
  test("instants, days and counts keep their values, missing ones as nulls", async () => {
    const ms = [0, -1, -86_400_000 * 365 * 80 + 7, 2 ** 40 + 123, 1_700_000_000_123, NaN];
    const t: Table = {
      length: ms.length,
      columns: [
        { name: "at", kind: "instant", values: Float64Array.from(ms) },
        {
          name: "day",
          kind: "day",
          values: Float64Array.from(ms, (v) => Math.floor(v / 864e5) * 864e5),
        },
        { name: "n", kind: "int", values: Float64Array.from([1, -2, 3, 2 ** 31 - 1, 0, NaN]) },
        {
          name: "s",
          kind: "text",
          values: ["a", null, "é", "", "x,y", undefined as unknown as null],
        },
      ],
    };
    const a = await arrowTable(t);
    const at = a.getChild("at")!,
      day = a.getChild("day")!,
      n = a.getChild("n")!,
      s = a.getChild("s")!;
    expect(Array.from({ length: 6 }, (_, i) => at.get(i))).toEqual([...ms.slice(0, 5), null]);
    expect(at.nullCount).toBe(1);
    expect(Array.from({ length: 5 }, (_, i) => day.get(i))).toEqual(
      ms.slice(0, 5).map((v) => Math.floor(v / 864e5) * 864e5),
    );
    expect(day.get(5)).toBeNull();
    expect(Array.from({ length: 6 }, (_, i) => n.get(i))).toEqual([1, -2, 3, 2 ** 31 - 1, 0, null]);
    expect(Array.from({ length: 6 }, (_, i) => s.get(i))).toEqual([
      "a",
      null,
      "é",
      "",
      "x,y",
      null,
    ]);
  });
});
