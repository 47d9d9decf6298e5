/**
 * The CSV encoder's digit-by-digit numbers: wherever it takes a number (at most four decimals),
 * it writes exactly what `String(v)` (or pandas' `3.0` for whole floats) writes.
 */
import { describe, expect, test } from "vitest";
import { ByteWriter } from "../../runtime/metrics/tables/bytes.ts";

const text = new TextDecoder();

function written(v: number, dotZero: boolean): string | null {
  const w = new ByteWriter(64);
  return w.decimal(v, dotZero) ? text.decode(w.view()) : null;
}

describe("ByteWriter.decimal", () => {
  test("matches String(v) on prices, share counts and arbitrary numbers", () => {
    let seed = 7;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let taken = 0;
    for (let i = 0; i < 100_000; i++) {
      for (
        const v of [
          Math.round((r() - 0.5) * 2e6) / 1e4,
          Math.round((r() - 0.5) * 2e10) / 1e4,
          Math.round((r() - 0.5) * 1e4),
          (r() - 0.5) * 1000,
          r() * 1e-5,
        ]
      ) {
        for (const dotZero of [false, true]) {
          const got = written(v, dotZero);
          if (got === null) continue;
          taken++;
          const want = dotZero && Number.isInteger(v) ? v.toFixed(1) : String(v);
          if (got !== want) expect({ v, got }).toEqual({ v, got: want });
        }
      }
    }
    expect(taken).toBeGreaterThan(500_000); // the fast path is really taken
  });

  test("edge values: zero, signs, the range's ends, binary fractions", () => {
    expect(written(0, true)).toBe("0.0");
    expect(written(-0, false)).toBe("0");
    expect(written(0.1 + 0.2, false)).toBeNull(); // 0.30000000000000004: not four decimals
    expect(written(530.5600000000001, false)).toBeNull();
    expect(written(-0.0001, false)).toBe("-0.0001");
    expect(written(99999999999.9999, false)).toBe("99999999999.9999");
    expect(written(1e11, false)).toBeNull(); // beyond the range: String(v) writes it
    expect(written(2.5, true)).toBe("2.5");
    expect(written(-12, true)).toBe("-12.0");
    expect(written(NaN, false)).toBeNull();
    expect(written(Infinity, false)).toBeNull();
  });
});
