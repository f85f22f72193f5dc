import { request } from 'node:http';
import type { Studio } from 'dynamorm-studio';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

/**
 * One request to the studio through node:http (fetch may not set Host): the token as a bearer
 * header unless `token` is null, JSON in and out.
 */
export function call(studio: Studio, method: 'GET' | 'POST', path: string, body?: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const token = options.token === undefined ? studio.token : options.token;
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${studio.origin}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(text === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => {
        let parsed: unknown = data;
        try { parsed = JSON.parse(data); } catch { /* the page, not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}
