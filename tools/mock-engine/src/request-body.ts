import type { IncomingMessage } from "node:http";

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Reads and parses a JSON request body; an empty body reads as {}. */
export async function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, message: `request body larger than ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `invalid JSON body: ${(err as Error).message}` };
  }
}
