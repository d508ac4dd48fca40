import { randomUUID } from "node:crypto";
import { invalidArgument } from "./pool-error.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id a request runs under: the client's `request_id` when it is valid,
 * a fresh UUID when it is empty. An invalid id is refused, but the error
 * still carries a fresh id so the client can find the log line.
 */
export function resolveRequestId(requested: string, newId: () => string = randomUUID): string {
  if (requested === "") return newId();
  if (!REQUEST_ID.test(requested)) {
    throw invalidArgument("request_id", "must be 1-128 characters from [A-Za-z0-9._:-]").withRequestId(newId());
  }
  return requested;
}
