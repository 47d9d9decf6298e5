/**
 * Headless Chromium (Debian's `chromium`) driven over the DevTools protocol: open a local page,
 * evaluate script in it, screenshot regions. The browser listens on 127.0.0.1 only, with a fresh
 * profile, background networking off and every proxyable request sent to a dead local port, so a
 * test page can never reach outside the machine.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The Chromium binary, or null when it is not installed. */
export function chromiumPath(): string | null {
  for (const name of ["chromium", "chromium-browser"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

interface Pending {
  resolve(v: Record<string, unknown>): void;
  reject(e: Error): void;
}

/** One page in a headless Chromium. */
export class Browser {
  #id = 0;
  readonly #pending = new Map<number, Pending>();
  readonly #waiters: { method: string; resolve(p: unknown): void }[] = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    private readonly profile: string,
    private sessionId = "",
  ) {
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`CDP: ${JSON.stringify(msg.error)}`));
        else p?.resolve(msg.result);
      } else {
        const i = this.#waiters.findIndex((w) => w.method === msg.method);
        if (i >= 0) this.#waiters.splice(i, 1)[0].resolve(msg.params);
      }
    };
  }

  /** Starts Chromium and opens a blank page of the given viewport width. */
  static async launch(binary: string, width = 1000, height = 800): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), "hv-chromium-"));
    const proc = spawn(binary, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-domain-reliability",
      "--no-pings",
      "--no-first-run",
      "--no-default-browser-check",
      "--proxy-server=http://127.0.0.1:9",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let err = "";
      const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${err}`)), 30_000);
      proc.stderr!.on("data", (chunk: Uint8Array) => {
        err += new TextDecoder().decode(chunk);
        const m = /DevTools listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      proc.on("error", reject);
      proc.on("exit", (code) => reject(new Error(`chromium exited (${code}):\n${err}`)));
    });
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
    const browser = new Browser(proc, ws, profile);
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    browser.sessionId = String(sessionId);
    await browser.send("Page.enable");
    await browser.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return browser;
  }

  /** Sends a DevTools command (to the page once one is attached). */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.#id;
    const msg: Record<string, unknown> = { id, method, params };
    if (this.sessionId) msg.sessionId = this.sessionId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify(msg));
    });
  }

  /** Navigates and waits for the load event. */
  async open(url: string): Promise<void> {
    const loaded = new Promise((resolve) =>
      this.#waiters.push({ method: "Page.loadEventFired", resolve })
    );
    const r = await this.send("Page.navigate", { url });
    if (r.errorText) throw new Error(`cannot open ${url}: ${r.errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page and returns its (JSON) value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }) as { result: { value: T }; exceptionDetails?: unknown };
    if (r.exceptionDetails) {
      throw new Error(`page script failed: ${JSON.stringify(r.exceptionDetails)}`);
    }
    return r.result.value;
  }

  /** A PNG of a region of the page (CSS pixels, page coordinates), or of the whole page. */
  async screenshot(
    clip?: { x: number; y: number; width: number; height: number },
  ): Promise<Uint8Array> {
    let region = clip;
    if (!region) {
      const m = await this.send("Page.getLayoutMetrics") as {
        cssContentSize: { width: number; height: number };
      };
      region = { x: 0, y: 0, width: m.cssContentSize.width, height: m.cssContentSize.height };
    }
    const r = await this.send("Page.captureScreenshot", {
      format: "png",
      clip: { ...region, scale: 1 },
      captureBeyondViewport: true,
    });
    return Uint8Array.from(atob(String(r.data)), (c) => c.charCodeAt(0));
  }

  /** Closes the browser, waits for it to exit, and removes its profile (best effort). */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) resolve(null);
      else this.proc.once("exit", resolve);
    });
    try {
      this.sessionId = "";
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 2000))]);
    } catch { /* already gone */ }
    this.ws.close();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGKILL");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch { /* a leftover temporary profile is harmless */ }
  }
}

/** A chart as drawn: its box on the page and its mark items by type. */
export interface Figure {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  marks: Record<string, number>;
}

/** Runs in the page: each chart's box and its mark items, counted from the live DOM. */
export const PAGE_FIGURES = `[...document.querySelectorAll("figure.hv-chart")].map((f) => {
  const r = f.querySelector("svg").getBoundingClientRect();
  const marks = {};
  for (const g of f.querySelectorAll("g.role-mark")) {
    const type = [...g.classList].find((c) => c.startsWith("mark-")).slice(5);
    marks[type] = (marks[type] ?? 0) + g.children.length;
  }
  return { id: f.dataset.chart, x: r.left + scrollX, y: r.top + scrollY, width: r.width,
    height: r.height, marks };
})`;
