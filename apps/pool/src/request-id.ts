/** Response header that carries the request id on every transport, where known. */
export const REQUEST_ID_HEADER = "x-request-id";
