import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { StudioHttpError } from './http-error.js';

/** A fresh session token: 24 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The Host headers this server answers: the loopback names on its port, and the host it was
 * explicitly bound to (none when bound to every interface). Anything else is a DNS-rebinding attempt (a foreign name resolving to us).
 */
export function allowedHosts(host: string, port: number): Set<string> {
  // Bound to every interface: the names it is reached by are unknown, the token alone guards it.
  if (host === '0.0.0.0' || host === '::') return new Set();
  const names = new Set(LOOPBACK);
  names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return new Set([...names].map((name) => `${name}:${port}`));
}

/**
 * Refuses a request from elsewhere: a Host this server does not answer to (403), an Origin that is
 * not this server's own page (403), then a missing or wrong token (401). The token travels in a
 * header only (`Authorization: Bearer` or `x-studio-token`), never in a cookie, so another site's
 * page cannot make the browser send it.
 */
export function checkRequest(req: IncomingMessage, hosts: ReadonlySet<string>, token: string, needsToken: boolean): void {
  const host = req.headers.host ?? '';
  const anyHost = hosts.size === 0;
  if (!anyHost && !hosts.has(host)) {
    throw new StudioHttpError(403, 'host.refused', `Host "${host}" is not this studio's address: open the URL the studio printed.`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new StudioHttpError(403, 'origin.refused', `Requests from ${origin} are refused: only the studio's own page (http://${host}) may call its API.`);
  }
  if (!needsToken) return;
  const given = tokenOf(req);
  if (given === undefined) throw new StudioHttpError(401, 'token.missing', 'This request has no session token: open the URL the studio printed (it carries the token), or send it as "Authorization: Bearer <token>".');
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new StudioHttpError(401, 'token.invalid', 'The session token is wrong (each start of the studio makes a new one): open the URL it printed last.');
}

function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['x-studio-token'];
  return typeof header === 'string' ? header : undefined;
}
