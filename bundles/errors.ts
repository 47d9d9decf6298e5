/** Errors of the bundle layer; each carries the facts a user needs to fix the input. */
import { HarvesterError } from "../runtime/errors.ts";

/** No bundle registered under a name. */
export class UnknownBundleError extends HarvesterError {
  override name = "UnknownBundleError";
  constructor(readonly bundle: string, readonly known: readonly string[]) {
    super(
      `no bundle named "${bundle}" is registered; known bundles: ${known.join(", ")}` +
        ` (register your own in $HARVESTER_ROOT/extension.ts)`,
    );
  }
}

/** A bundle has no ingestion (at or before the requested time). */
export class NoIngestionError extends HarvesterError {
  override name = "NoIngestionError";
  constructor(readonly bundle: string, readonly before?: string) {
    super(
      before
        ? `bundle "${bundle}" has no ingestion at or before ${before}; run \`harvester bundles\` to see its versions`
        : `bundle "${bundle}" has no ingestion yet; run \`harvester ingest ${bundle}\` first`,
    );
  }
}

/** Where in the input a problem is: a file, and when known its line and column. */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: string;
}

/**
 * Input an ingester cannot use. The message starts with `file:line: column` when known, so an
 * editor can jump to it; nothing has been written when this is thrown.
 */
export class IngestError extends HarvesterError {
  override name = "IngestError";
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  constructor(problem: string, where: InputLocation = {}, options?: ErrorOptions) {
    const place = [where.file, where.line].filter((x) => x !== undefined).join(":");
    const col = where.column ? `column "${where.column}": ` : "";
    super(`${place ? `${place}: ` : ""}${col}${problem}`, options);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A stored bundle version that cannot be read (wrong schema, damaged file). */
export class BundleFormatError extends HarvesterError {
  override name = "BundleFormatError";
}
