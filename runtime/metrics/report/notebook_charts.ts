/**
 * Charts in notebooks: one display bundle per chart carrying every form a viewer may need —
 * the chart as inline SVG inside HTML (what `jupyter nbconvert --to html` 6.5 and 7 and
 * repository pages keep), a PNG drawn without a browser (for viewers that show only images),
 * and the Vega-Lite spec (for front ends that run Vega; JupyterLab prefers the HTML).
 *
 * @module
 */
import { renderSvg, type VegaLiteSpec } from "./charts.ts";
import { base64, PngRendererUnavailableError, svgToPng } from "./png.ts";
import { escapeHtml } from "./tables.ts";
import { type Displayable, displayable, type MediaBundle } from "./display.ts";

/** The MIME type JupyterLab and VS Code render with Vega-Embed. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** The chart's title as plain text (Vega-Lite titles may be strings, arrays or objects). */
export function chartTitle(spec: VegaLiteSpec): string {
  const t = spec.title;
  const text = typeof t === "object" && t !== null && !Array.isArray(t)
    ? (t as { text?: unknown }).text
    : t;
  return Array.isArray(text) ? text.join(" ") : typeof text === "string" ? text : "Vega-Lite chart";
}

/**
 * The chart's MIME bundle: `text/html` (a `<div class="hv-chart">` holding the SVG),
 * `image/png` (base64, twice the SVG's pixel size), the Vega-Lite spec and a plain-text title.
 *
 * @example
 * ```ts
 * const bundle = await chartBundle(equityCurve(results));
 * bundle["text/html"]; // '<div class="hv-chart" …><svg …'
 * ```
 */
export async function chartBundle(spec: VegaLiteSpec): Promise<MediaBundle> {
  const svg = await renderSvg(spec);
  const title = chartTitle(spec);
  const bundle: MediaBundle = {
    // The v5 MIME type is the one notebook front ends register; the specs use no v6-only feature.
    [VEGALITE_MIME]: { ...spec, $schema: "https://vega.github.io/schema/vega-lite/v5.json" },
    "text/html": `<div class="hv-chart" data-chart="${escapeHtml(title)}">${svg}</div>`,
    "text/plain": title,
  };
  try {
    bundle["image/png"] = base64(await svgToPng(svg));
  } catch (e) {
    // Without resvg's module the chart still shows as HTML and Vega-Lite.
    if (!(e instanceof PngRendererUnavailableError)) throw e;
  }
  return bundle;
}

/**
 * A Vega-Lite chart to display: inline SVG in HTML, a PNG, and the spec for live renderers.
 *
 * @example
 * ```ts
 * chart({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * ```
 */
export function chart(spec: VegaLiteSpec): Displayable {
  return displayable(() => chartBundle(spec));
}
