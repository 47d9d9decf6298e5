/**
 * Asset restrictions (zipline's `finance/asset_restrictions.py`): which assets may not be
 * ordered at a time. Assets are matched by sid; times are UTC ms.
 */
import type { Asset } from "../assets/asset.ts";

/** zipline's RESTRICTION_STATES. */
export const RESTRICTION_STATES = { ALLOWED: 0, FROZEN: 1 } as const;
export type RestrictionState = typeof RESTRICTION_STATES[keyof typeof RESTRICTION_STATES];

/** Whether an asset is restricted (frozen) at a time. */
export interface Restrictions {
  is_restricted(asset: Asset, dt: number): boolean;
}

/**
 * The union of `items`: an asset is restricted when any of them restricts it. Nested unions are
 * flattened and `NoRestrictions` dropped; with one item left that item itself is returned
 * (zipline's `a | b`).
 *
 * @example
 * ```ts
 * const r = union(new StaticRestrictions([a]), new StaticRestrictions([b]));
 * ```
 */
export function union(...items: Restrictions[]): Restrictions {
  const flat: Restrictions[] = [];
  for (const r of items) {
    if (r instanceof UnionRestrictions) flat.push(...r.sub_restrictions);
    else if (!(r instanceof NoRestrictions)) flat.push(r);
  }
  if (flat.length === 0) return new NoRestrictions();
  if (flat.length === 1) return flat[0];
  return new UnionRestrictions(flat);
}

/**
 * Several restrictions at once; build it with `union`.
 *
 * @example
 * ```ts
 * union(historical, new StaticRestrictions([a])).is_restricted(a, dt); // true
 * ```
 */
export class UnionRestrictions implements Restrictions {
  constructor(readonly sub_restrictions: readonly Restrictions[]) {}

  is_restricted(asset: Asset, dt: number): boolean {
    return this.sub_restrictions.some((r) => r.is_restricted(asset, dt));
  }
}

/**
 * Restricts nothing.
 *
 * @example
 * ```ts
 * new NoRestrictions().is_restricted(asset, dt); // false
 * ```
 */
export class NoRestrictions implements Restrictions {
  is_restricted(_asset: Asset, _dt: number): boolean {
    return false;
  }
}

/**
 * The same assets are restricted at every time.
 *
 * @example
 * ```ts
 * new StaticRestrictions([aapl]).is_restricted(aapl, dt); // true
 * ```
 */
export class StaticRestrictions implements Restrictions {
  readonly #sids: ReadonlySet<number>;

  constructor(assets: Iterable<Asset>) {
    this.#sids = new Set([...assets].map((a) => a.sid));
  }

  is_restricted(asset: Asset, _dt: number): boolean {
    return this.#sids.has(asset.sid);
  }
}

/** A change of an asset's state taking effect at `effective_date` (UTC ms, inclusive). */
export class Restriction {
  constructor(
    readonly asset: Asset,
    readonly effective_date: number,
    readonly state: RestrictionState,
  ) {}
}

/**
 * Restrictions that change over time: an asset's state is that of its latest `Restriction` whose
 * effective date is at or before `dt` (ALLOWED before the first).
 *
 * @example
 * ```ts
 * const r = new HistoricalRestrictions([
 *   new Restriction(aapl, Date.UTC(2024, 0, 2), RESTRICTION_STATES.FROZEN),
 *   new Restriction(aapl, Date.UTC(2024, 0, 5), RESTRICTION_STATES.ALLOWED),
 * ]);
 * r.is_restricted(aapl, Date.UTC(2024, 0, 3)); // true
 * ```
 */
export class HistoricalRestrictions implements Restrictions {
  readonly #bySid = new Map<number, Restriction[]>();

  constructor(restrictions: Iterable<Restriction>) {
    for (const r of restrictions) {
      const list = this.#bySid.get(r.asset.sid);
      if (list) list.push(r);
      else this.#bySid.set(r.asset.sid, [r]);
    }
    // Stable, like Python's sorted: equal dates keep their given order.
    for (const list of this.#bySid.values()) {
      list.sort((a, b) => a.effective_date - b.effective_date);
    }
  }

  is_restricted(asset: Asset, dt: number): boolean {
    let state: RestrictionState = RESTRICTION_STATES.ALLOWED;
    for (const r of this.#bySid.get(asset.sid) ?? []) {
      if (r.effective_date > dt) break;
      state = r.state;
    }
    return state === RESTRICTION_STATES.FROZEN;
  }
}

/**
 * Restrictions read from a security list that changes over time (zipline's
 * `SecurityListRestrictions`): `current_securities(dt)` gives the assets listed at `dt`.
 *
 * @example
 * ```ts
 * const r = new SecurityListRestrictions((dt) => leveragedEtfsAt(dt));
 * ```
 */
export class SecurityListRestrictions implements Restrictions {
  constructor(readonly current_securities: (dt: number) => Iterable<Asset>) {}

  is_restricted(asset: Asset, dt: number): boolean {
    for (const a of this.current_securities(dt)) if (a.sid === asset.sid) return true;
    return false;
  }
}
