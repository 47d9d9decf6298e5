import { HarvesterError } from "../errors.ts";

/** A live or paper session that cannot start or go on, with the reason and what to do. */
export class LiveSessionError extends HarvesterError {
  override name = "LiveSessionError";
}
