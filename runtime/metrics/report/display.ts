/**
 * The Jupyter display protocol as Deno's kernel speaks it: a value with a
 * `Symbol.for("Jupyter.display")` method returning a MIME bundle renders richly, and
 * {@link display} shows several values from one cell, waiting for each to reach the kernel.
 *
 * @module
 */

/** The key Deno's Jupyter kernel looks up on a value to display it (`Deno.jupyter.$display`). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A MIME bundle: MIME type → content (a string, or a JSON value for JSON types). */
export type MediaBundle = Record<string, unknown>;

/** A value the Jupyter kernel renders through its display protocol. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MediaBundle | Promise<MediaBundle>;
}

/** A displayable value from a function building its bundle (called at display time). */
export function displayable(bundle: () => MediaBundle | Promise<MediaBundle>): Displayable {
  return { [JUPYTER_DISPLAY]: bundle };
}

/** Whether a value implements the display protocol. */
export function hasDisplay(v: unknown): v is Displayable {
  return typeof v === "object" && v !== null && JUPYTER_DISPLAY in v;
}

/**
 * Shows HTML (trusted markup: it is not escaped).
 *
 * @example
 * ```ts
 * html("<b>done</b>");
 * ```
 */
export function html(markup: string, plain = markup.replace(/<[^>]*>/g, "")): Displayable {
  return displayable(() => ({ "text/html": markup, "text/plain": plain }));
}

interface JupyterNamespace {
  display(obj: unknown, options?: { raw?: boolean }): Promise<void>;
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

/**
 * Lets a displayed message leave the kernel before anything else is sent. Deno's kernel hands
 * output to its ZeroMQ socket without waiting for the socket to drain: a large message (a chart)
 * can sit half-sent until the next message pushes it along, and a message that finds it still
 * there is dropped. So we give the event loop turns and push with messages every front end
 * ignores — updates of a display that does not exist — until the way is clear.
 */
async function settle(kernel: JupyterNamespace): Promise<void> {
  for (const ms of [5, 10, 20, 40]) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await kernel.broadcast("update_display_data", {
      data: {},
      metadata: {},
      transient: { display_id: "harvester-no-such-display" },
    });
  }
}

/** `Deno.jupyter` inside the kernel; undefined elsewhere (where reading it throws). */
function jupyter(): JupyterNamespace | undefined {
  try {
    return (globalThis as { Deno?: { jupyter?: JupyterNamespace } }).Deno?.jupyter;
  } catch {
    return undefined;
  }
}

/**
 * Shows each value in the notebook, in order (`prepare` may wrap a value first, e.g. results
 * into rich results). Outside a Jupyter kernel it prints their plain-text form.
 */
export async function displayValues(
  values: unknown[],
  prepare: (v: unknown) => unknown = (v) => v,
): Promise<void> {
  const kernel = jupyter();
  for (const v of values) {
    const value = prepare(v);
    if (kernel) {
      await kernel.display(value);
      await settle(kernel);
    } else {
      const bundle = hasDisplay(value) ? await value[JUPYTER_DISPLAY]() : undefined;
      console.log(bundle?.["text/plain"] ?? value);
    }
  }
}
