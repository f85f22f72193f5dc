import type { ServerResponse } from 'node:http';

/** An API refusal: its HTTP status, a stable code and a message saying what to do. */
export class StudioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'StudioHttpError';
  }
}

/** Sends a JSON body (never cached: every answer is live data). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends `{ error: { code, message, ...details } }`. */
export function sendError(res: ServerResponse, error: StudioHttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message, ...error.details } });
}
