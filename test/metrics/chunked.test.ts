/** The recorder's chunked lists: values read back in order across chunk boundaries. */
import { describe, expect, test } from "vitest";
import { Chunked, Rows } from "../../runtime/metrics/recorder_rows.ts";

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
