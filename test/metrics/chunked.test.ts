/** Chunked lists (the recorder's, the order table's): values read back across chunk boundaries. */
import { describe, expect, test } from "vitest";
import { Chunked } from "../../runtime/model/chunked.ts";
import { Rows } from "../../runtime/metrics/recorder_rows.ts";

describe("Chunked", () => {
  test("40,000 values over three chunks read back as pushed", () => {
    const c = new Chunked<string | null>();
    for (let i = 0; i < 40_000; i++) c.push(i % 7 === 0 ? null : `id-${i}`);
    expect(c.length).toBe(40_000);
    const wrong: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      if (c.get(i) !== (i % 7 === 0 ? null : `id-${i}`)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});

describe("Chunked.set", () => {
  test("sets past the end make the chunks between; unset places read undefined", () => {
    const c = new Chunked<string | undefined>();
    c.set(5, "a");
    c.set(40_000, "b"); // the third chunk
    expect(c.length).toBe(40_001);
    expect([c.get(5), c.get(40_000), c.get(0), c.get(20_000), c.get(90_000)]).toEqual([
      "a",
      "b",
      undefined,
      undefined,
      undefined,
    ]);
    c.set(5, undefined);
    expect(c.get(5)).toBeUndefined();
    c.push("c"); // after the highest index
    expect(c.get(40_001)).toBe("c");
    const seen = [...c];
    expect(seen.length).toBe(40_002);
    expect(seen.filter((x) => x !== undefined)).toEqual(["b", "c"]);
  });

  test("a far index makes only its own chunk", () => {
    const c = new Chunked<number>();
    c.set(3_000_000_000, 7); // 183,000 chunks before it: none made
    expect(c.get(3_000_000_000)).toBe(7);
    expect(c.get(0)).toBeUndefined();
    expect(c.length).toBe(3_000_000_001);
  });

  test("as an order table grows: each index set once, in order, reads back", () => {
    const c = new Chunked<number>();
    for (let i = 0; i < 70_000; i++) c.set(i, i * 3);
    expect(c.length).toBe(70_000);
    let wrong = 0;
    for (let i = 0; i < 70_000; i++) if (c.get(i) !== i * 3) wrong++;
    expect(wrong).toBe(0);
  });
});

describe("Rows.column", () => {
  test("a column across chunks, into an offset", () => {
    const r = new Rows(3, 4); // 4 rows per chunk
    for (let i = 0; i < 11; i++) {
      const c = r.next(), at = r.offset;
      c[at] = i;
      c[at + 1] = 0 - i;
      c[at + 2] = i / 2;
    }
    expect(Array.from(r.column(1))).toEqual(Array.from({ length: 11 }, (_, i) => 0 - i));
    const out = new Float64Array(13).fill(NaN);
    r.column(2, out, 2);
    expect(Array.from(out.subarray(2))).toEqual(Array.from({ length: 11 }, (_, i) => i / 2));
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
  });
});
