import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  AlpacaConfigError,
  createAlpacaBroker,
  resolveAlpacaConfig,
} from "../../../runtime/brokers/alpaca/mod.ts";

const dir = mkdtempSync(join(tmpdir(), "alpaca-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const none = join(dir, "absent.env");
const keys = { APCA_API_KEY_ID: "PKTEST", APCA_API_SECRET_KEY: "secret" };

describe("Alpaca configuration", () => {
  test("paper by default, with Alpaca's documented endpoints", () => {
    const c = resolveAlpacaConfig({ env: keys, dotenvPath: none });
    expect(c).toMatchObject({
      keyId: "PKTEST",
      secret: "secret",
      paper: true,
      tradingUrl: "https://paper-api.alpaca.markets",
      streamUrl: "wss://paper-api.alpaca.markets/stream",
      dataUrl: "https://data.alpaca.markets",
      dataStreamUrl: "wss://stream.data.alpaca.markets/v2/iex",
      feed: "iex",
    });
  });

  test("live only when asked, on the live endpoints", () => {
    const c = resolveAlpacaConfig({ env: keys, paper: false, feed: "sip", dotenvPath: none });
    expect(c.tradingUrl).toBe("https://api.alpaca.markets");
    expect(c.streamUrl).toBe("wss://api.alpaca.markets/stream");
    expect(c.dataStreamUrl).toBe("wss://stream.data.alpaca.markets/v2/sip");
  });

  test("a live URL without --live, or --live on the paper URL, is refused", () => {
    const env = { ...keys, APCA_API_BASE_URL: "https://api.alpaca.markets" };
    expect(() => resolveAlpacaConfig({ env, dotenvPath: none })).toThrow(/LIVE endpoint.*--live/);
    expect(() =>
      resolveAlpacaConfig({
        env: keys,
        paper: false,
        baseUrl: "https://paper-api.alpaca.markets",
        dotenvPath: none,
      })
    ).toThrow(/--live was given but .* paper endpoint/);
  });

  test("missing keys name the variables; .env fills what the environment lacks", () => {
    expect(() => resolveAlpacaConfig({ env: {}, dotenvPath: none })).toThrow(AlpacaConfigError);
    expect(() => resolveAlpacaConfig({ env: {}, dotenvPath: none })).toThrow(
      /APCA_API_KEY_ID and APCA_API_SECRET_KEY/,
    );
    const file = join(dir, ".env");
    writeFileSync(file, "APCA_API_KEY_ID=FROMFILE\nexport APCA_API_SECRET_KEY='s3'\n");
    const c = resolveAlpacaConfig({ env: {}, dotenvPath: file });
    expect([c.keyId, c.secret]).toEqual(["FROMFILE", "s3"]);
    const env = resolveAlpacaConfig({ env: { APCA_API_KEY_ID: "ENV" }, dotenvPath: file });
    expect([env.keyId, env.secret]).toEqual(["ENV", "s3"]); // the environment wins
  });

  test("URLs are configurable by option or environment; streams follow the trading URL", () => {
    const c = resolveAlpacaConfig({
      env: { ...keys, APCA_API_DATA_URL: "http://127.0.0.1:9/" },
      baseUrl: "http://127.0.0.1:8/",
      dotenvPath: none,
    });
    expect(c.tradingUrl).toBe("http://127.0.0.1:8");
    expect(c.streamUrl).toBe("ws://127.0.0.1:8/stream");
    expect(c.dataUrl).toBe("http://127.0.0.1:9");
    expect(() => resolveAlpacaConfig({ env: keys, streamUrl: "http://x", dotenvPath: none }))
      .toThrow(/must start with ws: or wss:/);
    expect(() => resolveAlpacaConfig({ env: keys, feed: "nasdaq" as "iex", dotenvPath: none }))
      .toThrow(/feed "nasdaq"/);
  });

  test("the factory validates at once and touches no network", () => {
    expect(() => createAlpacaBroker({ env: {}, dotenvPath: none })).toThrow(AlpacaConfigError);
    const b = createAlpacaBroker({ env: keys, dotenvPath: none });
    expect(b.name).toBe("alpaca");
    expect(b.paper).toBe(true);
    expect(b.health().connected).toBe(false);
  });
});
