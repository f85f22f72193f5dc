import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyModel, DynamORM, MigrateOptions } from 'dynamorm';
import type { Route, RouteRequest, StudioContext } from './context.js';
import { httpErrorOf } from './errors.js';
import { sendError, sendJson, StudioHttpError } from './http-error.js';
import { CostMeter } from './run-cost.js';
import { allowedHosts, checkRequest, newToken } from './security.js';
import { serveStatic } from './static-files.js';
import { insightRoutes } from './routes/insights.js';
import { modelRoutes } from './routes/models.js';
import { tableRoutes } from './routes/tables.js';
import { isRecord } from './values.js';

export interface StudioOptions {
  readonly orm: DynamORM;
  /** The models to show (default: the ORM's registered models). */
  readonly models?: readonly AnyModel[];
  /** Refuse every write (403) and hide the UI's write buttons. */
  readonly readOnly?: boolean;
  /** The interface to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** The port (default: a free one). */
  readonly port?: number;
  /** The migrations (or their directory) whose status the Migrations view shows. */
  readonly migrations?: MigrateOptions['migrations'];
  /** The session token (default: 24 random bytes); tests may fix it. */
  readonly token?: string;
}

export interface Studio {
  /** The page's URL, with the session token in its fragment. */
  readonly url: string;
  /** The address without the token (`http://127.0.0.1:4983`). */
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const ROUTES: readonly Route[] = [...tableRoutes, ...modelRoutes, ...insightRoutes];
const MAX_BODY = 1024 * 1024;

interface Matched {
  readonly route: Route;
  readonly params: Record<string, string>;
}

function match(method: string, path: string): Matched | undefined {
  const parts = path.split('/');
  for (const route of ROUTES) {
    const pattern = route.path.split('/');
    if (route.method !== method || pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((p, i) => {
      const part = parts[i]!;
      if (!p.startsWith(':')) return p === part;
      params[p.slice(1)] = decodeURIComponent(part);
      return part !== '';
    });
    if (matches) return { route, params };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new StudioHttpError(413, 'body.tooLarge', 'The request body is over 1 MB.');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new StudioHttpError(400, 'body.invalid', 'The request body is not JSON.');
  }
  if (!isRecord(parsed)) throw new StudioHttpError(400, 'body.invalid', 'The request body must be a JSON object.');
  return parsed;
}

/**
 * Serves the studio: its page and its JSON API on `orm`. Every API call needs the session token
 * (a header, never a cookie) and comes from the studio's own page; it listens on 127.0.0.1 unless
 * a host is given.
 */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const { orm } = options;
  const models = new Map((options.models ?? orm.models()).map((m) => [m.name, m]));
  for (const m of models.values()) orm.register(m);
  const token = options.token ?? newToken();
  const host = options.host ?? '127.0.0.1';
  const meter = new CostMeter(orm);
  const ctx: StudioContext = { orm, models, readOnly: options.readOnly === true, migrations: options.migrations, meter };
  let hosts: Set<string> = new Set();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://studio');
      const api = url.pathname.startsWith('/api/');
      try {
        checkRequest(req, hosts, token, api);
        if (!api) {
          if (req.method !== 'GET' && req.method !== 'HEAD') throw new StudioHttpError(405, 'method.refused', `${req.method} is not served here.`);
          await serveStatic(url.pathname, res);
          return;
        }
        const found = match(req.method ?? 'GET', url.pathname);
        if (found === undefined) throw new StudioHttpError(404, 'route.unknown', `No API ${req.method} ${url.pathname}.`);
        if (found.route.write && ctx.readOnly) {
          throw new StudioHttpError(403, 'readOnly', 'The studio runs read-only (--read-only): writes are refused. Start it without --read-only to edit items.');
        }
        const request: RouteRequest = { params: found.params, query: url.searchParams, body: req.method === 'POST' ? await readBody(req) : {} };
        const result = await found.route.handle(ctx, request);
        sendJson(res, result.status ?? 200, result.body);
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendError(res, httpErrorOf(error));
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      meter.stop();
      server.closeAllConnections();
      server.close((error) => (error === undefined ? resolve() : reject(error)));
    }),
  };
}
