import type { Asset } from "./asset.ts";

/**
 * Assets numbered 0, 1, 2, … in the order first seen: what a store of number columns keeps in
 * place of an asset (the results recorder's rows, finished orders). A number in a typed array
 * costs the collector nothing; a reference in a list of its own was most of what adding a row
 * cost.
 *
 * @example
 * const n = new AssetNumbers();
 * n.of(aapl); // 0
 * n.asset(0) === aapl; // true
 */
export class AssetNumbers {
  readonly #list: Asset[] = [];
  readonly #numbers = new Map<Asset, number>();

  /** `asset`'s number, given it the first time. */
  of(asset: Asset): number {
    let n = this.#numbers.get(asset);
    if (n === undefined) {
      n = this.#list.length;
      this.#list.push(asset);
      this.#numbers.set(asset, n);
    }
    return n;
  }

  /** How many assets have a number (they are numbered from 0). */
  get size(): number {
    return this.#list.length;
  }

  /** The asset of number `n`. */
  asset(n: number): Asset {
    return this.#list[n];
  }
}
