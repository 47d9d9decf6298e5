/**
 * The base of every error Harvester raises on purpose. The CLI prints `message` as one line
 * (the stack only with `--debug`), so a message must say what was wrong and what to do next.
 */
export class HarvesterError extends Error {
  override name = "HarvesterError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A value given by a user (flag, argument, file field) that cannot be used as it is. */
export class InvalidInputError extends HarvesterError {
  override name = "InvalidInputError";
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`${field}: ${reason} (got ${JSON.stringify(value)})`);
  }
}
