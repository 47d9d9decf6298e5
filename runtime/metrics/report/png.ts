/**
 * SVG to PNG without a browser: resvg (Rust, through `@resvg/resvg-js`'s prebuilt Node-API
 * module) rasterises the SVG Vega writes. Loaded on first use only, so nothing that never draws a
 * PNG pays for it.
 *
 * @module
 */
import { HarvesterError } from "../../errors.ts";
import { lazyImport } from "../../lazy.ts";

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG pixel (2 keeps text sharp on high-density screens). @default 2 */
  scale?: number;
  /** The background behind transparent areas. @default "white" */
  background?: string;
}

/** resvg could not be loaded on this platform (no prebuilt module for it). */
export class PngRendererUnavailableError extends HarvesterError {
  override name = "PngRendererUnavailableError";
  constructor(cause: unknown) {
    super(
      `cannot load @resvg/resvg-js to draw PNG charts (${
        cause instanceof Error ? cause.message : String(cause)
      }); reinstall the npm packages (deno install) on a platform resvg ships a module for`,
      { cause },
    );
  }
}

/**
 * Rasterises an SVG document to PNG bytes with the system's fonts (Vega asks for `sans-serif`).
 *
 * @example
 * ```ts
 * const png = await svgToPng(await renderSvg(equityCurve(results)));
 * await Deno.writeFile("equity.png", png);
 * ```
 */
export async function svgToPng(svg: string, opts: PngOptions = {}): Promise<Uint8Array> {
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = await lazyImport<typeof import("@resvg/resvg-js")>("@resvg/resvg-js"));
  } catch (e) {
    throw new PngRendererUnavailableError(e);
  }
  const renderer = new Resvg(svg, {
    background: opts.background ?? "white",
    fitTo: { mode: "zoom", value: opts.scale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return renderer.render().asPng();
}

/** Base64 of bytes (what a notebook's `image/png` output holds). */
export function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
