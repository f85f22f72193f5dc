import type { AnyModel, DynamORM, MigrateOptions } from 'dynamorm';
import type { CostMeter } from './run-cost.js';

/** What every route handler gets: the ORM, its models, the settings, the request's parameters and body. */
export interface StudioContext {
  readonly orm: DynamORM;
  readonly models: ReadonlyMap<string, AnyModel>;
  readonly readOnly: boolean;
  readonly migrations: MigrateOptions['migrations'] | undefined;
  readonly meter: CostMeter;
}

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Readonly<Record<string, unknown>>;
}

/** A route's answer: a status (200 by default) and a JSON body. */
export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** The path, with `:name` parameters. */
  readonly path: string;
  /** Refused in read-only mode. */
  readonly write: boolean;
  readonly handle: (ctx: StudioContext, req: RouteRequest) => Promise<RouteResult>;
}
