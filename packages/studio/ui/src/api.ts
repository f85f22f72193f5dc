import type { AnalyticsReport, AttributeDescription, Explanation, MetricsSnapshot, ModelDescription, PlanStep, MigrationStatus } from 'dynamorm';

/** A model as the session lists it: its description and its table's full name. */
export interface StudioModel extends ModelDescription {
  readonly tableName: string;
}
export type { AnalyticsReport, AttributeDescription, Explanation, MetricsSnapshot, PlanStep, MigrationStatus };

export interface Session {
  readonly readOnly: boolean;
  readonly migrations: boolean;
  readonly models: readonly StudioModel[];
}

export type Item = Record<string, unknown>;

export interface Cost {
  readonly requests?: number;
  readonly rcu: number;
  readonly wcu?: number;
  readonly itemsRead: number;
  readonly itemsReturned: number;
  readonly byTarget?: Readonly<Record<string, number>>;
}

export interface QueryResult {
  readonly items: Item[];
  readonly cursor: string | null;
  readonly plan: Explanation;
  readonly cost: Cost;
}

export interface Issue {
  readonly attribute: string;
  readonly expected: string;
  readonly received: string;
  readonly message: string;
}

/** The API's refusal: its status, code and message, and for validation its issues. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: readonly Issue[]) {
    super(message);
  }
}

const TOKEN_KEY = 'dynamorm-studio-token';

/**
 * The session token: taken once from the URL the studio printed (`#token=…`), kept for this tab
 * only, and removed from the address bar so it is not shared by copying the URL later.
 */
export function takeToken(): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match !== null) {
    sessionStorage.setItem(TOKEN_KEY, match[1]!);
    history.replaceState(null, '', `${location.pathname}#/tables`);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

let token: string | undefined;
export function setToken(value: string | undefined): void {
  token = value;
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; issues?: Issue[] } };
  if (!response.ok) {
    const error = json.error ?? { code: 'http', message: `${response.status} ${response.statusText}` };
    throw new ApiError(response.status, error.code, error.message, error.issues ?? []);
  }
  return json as T;
}

/** The key of an item: the values of its model's key attributes. */
export function keyOf(model: ModelDescription, item: Item): Item {
  return Object.fromEntries(model.key.map((name) => [name, item[name]]));
}
