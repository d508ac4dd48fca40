import type { ServerOptions } from "../server-options.js";

/**
 * The field cap handed to Node's parsers, which act before the pool can
 * answer (HTTP/2: a stream reset with ENHANCE_YOUR_CALM; HTTP/1.1: a bare
 * 400). It sits far above `maxHeaderPairs` so that the pool sees the whole
 * header list and answers 431 itself on both protocols; 2048 fields cost at
 * least 64 KiB by HTTP/2's count, beyond any allowed `maxHeaderBytes`.
 */
export function parserHeaderPairs(options: ServerOptions): number {
  return Math.max(options.maxHeaderPairs + 1, 2_048);
}

/**
 * Whether a request's header list is over the limits: more fields than
 * `maxHeaderPairs` (pseudo-headers included), or, on HTTP/2, more than
 * `maxHeaderBytes` by RFC 9113's count (name and value octets plus 32 per
 * field). Node's HTTP/1.1 parser refuses oversize blocks itself; on HTTP/2
 * nghttp2 only advertises SETTINGS_MAX_HEADER_LIST_SIZE.
 */
export function headerListTooLarge(rawHeaders: readonly string[], httpVersionMajor: number, options: ServerOptions): boolean {
  if (rawHeaders.length / 2 > options.maxHeaderPairs) return true;
  return httpVersionMajor === 2 && headerListSize(rawHeaders) > options.maxHeaderBytes;
}

function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const part of rawHeaders) size += Buffer.byteLength(part);
  return size + 16 * rawHeaders.length;
}
