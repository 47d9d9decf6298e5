/**
 * Errors the Alpaca adapter raises on purpose. Each says what was wrong and what to do next; the
 * HTTP facts (status, Alpaca's error code, request id) ride along for logs and support tickets.
 */
import { HarvesterError } from "../../errors.ts";

/** The adapter cannot start as configured (missing keys, paper/live mismatch, bad URL). */
export class AlpacaConfigError extends HarvesterError {
  override name = "AlpacaConfigError";
}

/**
 * Alpaca refused the API keys (HTTP 401/403, or a stream's authorization). Usually the keys are
 * wrong, revoked, or belong to the other environment (paper keys against live, or the reverse).
 *
 * @example
 * ```ts
 * try {
 *   await broker.connect();
 * } catch (e) {
 *   if (e instanceof AlpacaAuthError) console.error(e.message); // names the variables to check
 * }
 * ```
 */
export class AlpacaAuthError extends HarvesterError {
  override name = "AlpacaAuthError";
  constructor(
    readonly where: string,
    readonly status: number | undefined,
    readonly detail: string,
    readonly paper: boolean,
  ) {
    super(
      `Alpaca refused the API keys for ${where}${status ? ` (HTTP ${status})` : ""}: ${detail}. ` +
        `Check APCA_API_KEY_ID and APCA_API_SECRET_KEY (environment or .env) and that they are ` +
        `${paper ? "paper" : "live"} keys${
          paper ? "" : " (live trading was asked for with --live)"
        }.`,
    );
  }
}

/** A request Alpaca answered with an error, or that failed after every retry. */
export class AlpacaRequestError extends HarvesterError {
  override name = "AlpacaRequestError";
  constructor(
    readonly what: string,
    readonly status: number | undefined,
    readonly code: number | string | undefined,
    detail: string,
    readonly requestId?: string,
    options?: ErrorOptions,
  ) {
    super(
      `Alpaca ${what} failed${status ? ` (HTTP ${status})` : ""}: ${detail}` +
        (requestId ? ` [request ${requestId}]` : ""),
      options,
    );
  }
}
