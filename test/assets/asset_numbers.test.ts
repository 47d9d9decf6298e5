/** Assets numbered in the order first seen, and read back by number. */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { AssetNumbers } from "../../runtime/assets/asset_numbers.ts";

describe("AssetNumbers", () => {
  test("numbers each asset once, by identity, in the order first seen", () => {
    const aapl = new Asset(24, "AAPL", "Apple", "NASDAQ", 0, Infinity, Infinity);
    const msft = new Asset(5061, "MSFT", "Microsoft", "NASDAQ", 0, Infinity, Infinity);
    // Another object for the same sid (a symbol that changed) is an asset of its own.
    const aaplAgain = new Asset(24, "AAPL.OLD", "Apple", "NASDAQ", 0, Infinity, Infinity);
    const n = new AssetNumbers();
    expect([n.of(msft), n.of(aapl), n.of(msft), n.of(aaplAgain)]).toEqual([0, 1, 0, 2]);
    expect([n.asset(0), n.asset(1), n.asset(2)]).toEqual([msft, aapl, aaplAgain]);
    expect(n.asset(2)).toBe(aaplAgain);
  });
});
