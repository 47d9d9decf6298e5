/** Asset restrictions, after zipline-reloaded's tests/test_restrictions.py. */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import {
  HistoricalRestrictions,
  NoRestrictions,
  Restriction,
  RESTRICTION_STATES,
  SecurityListRestrictions,
  StaticRestrictions,
  union,
  UnionRestrictions,
} from "../../runtime/finance/restrictions.ts";

const asset = (sid: number) => new Asset(sid, `S${sid}`, `S${sid}`, "TEST", NaN, NaN, NaN);
const [A1, A2, A3] = [1, 2, 3].map(asset);
const d = (day: number, h = 0) => Date.UTC(2011, 0, day, h);
const { FROZEN, ALLOWED } = RESTRICTION_STATES;

describe("restrictions", () => {
  test("StaticRestrictions restricts its assets at every time, matched by sid", () => {
    const r = new StaticRestrictions([A1, A2]);
    expect([A1, A2, A3].map((a) => r.is_restricted(a, d(3)))).toEqual([true, true, false]);
    expect(r.is_restricted(asset(1), d(1))).toBe(true);
    expect(new NoRestrictions().is_restricted(A1, d(3))).toBe(false);
  });

  test("HistoricalRestrictions: the latest effective state, in any input order", () => {
    const r = new HistoricalRestrictions([
      new Restriction(A1, d(4), ALLOWED),
      new Restriction(A1, d(2), FROZEN),
      new Restriction(A2, d(3), FROZEN),
      new Restriction(A1, d(5), FROZEN),
    ]);
    const at = (a: Asset, t: number) => r.is_restricted(a, t);
    expect(at(A1, d(2) - 1)).toBe(false);
    expect(at(A1, d(2))).toBe(true); // inclusive
    expect(at(A1, d(3, 12))).toBe(true);
    expect(at(A1, d(4))).toBe(false);
    expect(at(A1, d(5))).toBe(true);
    expect([at(A2, d(2)), at(A2, d(3)), at(A2, d(30))]).toEqual([false, true, true]);
    expect(at(A3, d(5))).toBe(false);
  });

  test("union flattens, drops NoRestrictions, and restricts when any part does", () => {
    const s1 = new StaticRestrictions([A1]);
    const s2 = new StaticRestrictions([A2]);
    const h = new HistoricalRestrictions([new Restriction(A3, d(3), FROZEN)]);
    expect(union(new NoRestrictions(), s1)).toBe(s1);
    expect(union(new NoRestrictions())).toBeInstanceOf(NoRestrictions);
    const u = union(union(s1, s2), h, new NoRestrictions());
    expect(u).toBeInstanceOf(UnionRestrictions);
    expect((u as UnionRestrictions).sub_restrictions).toEqual([s1, s2, h]);
    expect([A1, A2, A3].map((a) => u.is_restricted(a, d(2)))).toEqual([true, true, false]);
    expect(u.is_restricted(A3, d(3))).toBe(true);
  });

  test("SecurityListRestrictions reads the list at the query time", () => {
    const r = new SecurityListRestrictions((t) => (t >= d(3) ? [A2] : [A1]));
    expect([r.is_restricted(A1, d(2)), r.is_restricted(A2, d(2))]).toEqual([true, false]);
    expect([r.is_restricted(A1, d(3)), r.is_restricted(A2, d(3))]).toEqual([false, true]);
  });
});
