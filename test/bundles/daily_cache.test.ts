/** The binary daily cache answers exactly what the DuckDB reader answers. */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  BundleReader,
  DailyCache,
  ingest,
  load,
  openDaily,
  resolveVersion,
} from "../../bundles/mod.ts";
import { tempRoot } from "./helpers.ts";

describe("daily cache", () => {
  test("same bars, assets, adjustments and dividends as the database", async () => {
    const root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    const v = resolveVersion("zipline-examples", { root });
    expect(DailyCache.open(v)).toBeNull(); // ingest stays lean: the first daily read writes it
    (await openDaily("zipline-examples", { root, environ: {} })).close();
    const cache = DailyCache.open(v)!;
    expect(cache).not.toBeNull();
    const db = await load("zipline-examples", { root });
    expect(cache.assets).toEqual(db.assets);
    expect(cache.metadata).toEqual(db.metadata);
    expect(await cache.adjustments([7, 1])).toEqual(await db.adjustments([7, 1]));
    expect(await cache.dividends()).toEqual(await db.dividends());
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8], { first_session, last_session } = db.metadata;
    // Ranges read from the file row by row first (a run ending before the bundle's last session
    // among them), then the whole span, then the first ranges again, copied from the fields held.
    const parts = [
      [all, first_session, Date.UTC(2012, 5, 29)],
      [[7, 3], Date.UTC(2013, 9, 1), Date.UTC(2013, 10, 30)],
      [[8, 99], Date.UTC(2003, 11, 1), Date.UTC(2004, 0, 15)], // an unknown sid; sessions before the bundle
      [[2, 5], Date.UTC(2014, 11, 1), Date.UTC(2015, 0, 30)], // sessions after it
    ] as const;
    for (
      const [sids, start, end] of [...parts, [all, first_session, last_session] as const, ...parts]
    ) {
      const a = await cache.loadDaily(sids, start, end), b = await db.loadDaily(sids, start, end);
      expect(Array.from(a.sessions)).toEqual(Array.from(b.sessions));
      for (const f of ["open", "high", "low", "close", "volume"] as const) {
        expect(Array.from(a.fields[f]!), f).toEqual(Array.from(b.fields[f]!));
      }
    }
    db.close();
  });
  test("the first daily read writes the cache; HARVESTER_DAILY_CACHE=off reads the database", async () => {
    const root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    const v = resolveVersion("zipline-examples", { root });
    const off = await openDaily("zipline-examples", {
      root,
      environ: { HARVESTER_DAILY_CACHE: "off" },
    });
    expect(off).toBeInstanceOf(BundleReader);
    off.close();
    const first = await openDaily("zipline-examples", { root, environ: {} });
    expect(first).toBeInstanceOf(DailyCache);
    rmSync(join(v.path, "daily_cache.bin"));
    const again = await openDaily("zipline-examples", { root, environ: {} });
    expect(again).toBeInstanceOf(DailyCache); // rewritten
    again.close();
    first.close();
  });
  test("fields are read when first asked for: after the file is removed, after close, never twice", async () => {
    const root = tempRoot();
    await ingest("zipline-examples", { root, environ: {} });
    (await openDaily("zipline-examples", { root, environ: {} })).close();
    const v = resolveVersion("zipline-examples", { root });
    const db = await load("zipline-examples", { root });
    const sids = db.assets.map((a) => a.sid), { first_session, last_session } = db.metadata;
    const want = await db.loadDaily(sids, first_session, last_session);
    db.close();
    const file = join(v.path, "daily_cache.bin");
    const original = Deno.readFileSync(file);

    // Opened, then the version's files go (a re-ingest and `harvester clean` during a live
    // session): a field first read afterwards still reads this version's bytes.
    const cache = DailyCache.open(v)!;
    const bars = await cache.loadDaily(sids, first_session, last_session);
    expect(Array.from(bars.fields.close!)).toEqual(Array.from(want.fields.close!));
    rmSync(file);
    expect(Array.from(bars.fields.open!)).toEqual(Array.from(want.fields.open!));
    expect(bars.fields.close).toBe(bars.fields.close); // read once, then the same array
    cache.close();
    expect(() => bars.fields.high).toThrow(Deno.errors.NotFound); // closed, and the file is gone

    // After close, a field not yet read is read by its path.
    Deno.writeFileSync(file, original);
    const again = DailyCache.open(v)!;
    const later = await again.loadDaily(sids, first_session, last_session);
    again.close();
    expect(Array.from(later.fields.volume!)).toEqual(Array.from(want.fields.volume!));

    // A file that is not the header's size is refused when opened, naming the version.
    Deno.writeFileSync(file, original.subarray(0, original.length - 8));
    expect(() => DailyCache.open(v)).toThrow(/daily cache does not match.*re-ingest/);
  });
});
