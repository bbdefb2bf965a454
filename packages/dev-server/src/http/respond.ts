/**
 * Response helpers shared by the REST handlers and the shape feed: JSON bodies, CORS (including
 * `access-control-expose-headers`, without which browsers hide the electric-* and x-sync-txid
 * headers from cross-origin scripts), and the dev server's error body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EXPOSED_HEADERS = [
  'electric-handle',
  'electric-offset',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
  'electric-snapshot',
  'x-sync-txid',
  'idempotent-replayed',
  'retry-after',
  'location',
];

export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const requested = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': typeof origin === 'string' ? origin : '*',
    vary: 'origin',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD',
    'access-control-allow-headers':
      typeof requested === 'string' && requested !== ''
        ? requested
        : 'content-type, authorization, idempotency-key',
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
    'access-control-max-age': '600',
  };
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string | null,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  const h: Record<string, string> = { 'cache-control': 'no-store', ...headers };
  if (body !== null) {
    h['content-type'] ??= 'application/json; charset=utf-8';
    h['content-length'] = String(Buffer.byteLength(body));
  }
  res.writeHead(status, h);
  res.end(body ?? undefined);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, body === undefined ? null : JSON.stringify(body), headers);
}

/** The dev server's error body; matches the common `{error, message}` shape of specs. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  sendJson(res, status, { error, message, ...extra });
}
