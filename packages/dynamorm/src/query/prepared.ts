import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ItemNotFoundError, ValidationError } from '../errors/errors.js';
import type { EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';
import { unexpiredFilter } from '../ttl/expired.js';
import type { Explanation } from './builder.js';
import { valueEncoder } from './operators.js';
import { MARKER, Param, type ParamUse } from './param.js';
import { planReasons, type Plan } from './plan.js';
import { withIteration, withOperation, type Session } from './session.js';
import type { CancelOptions } from '../ops/signal.js';
import { identityRequest, readIdentity, ReadExecution, type Page, type ReadOptions, type ReadRequest } from './read.js';
import { merged } from '../util/merged.js';

/** A read's plan, exact request and options (Query.readParts). */
export interface ReadParts {
  readonly plan: Plan;
  readonly read: ReadRequest;
  readonly options: ReadOptions;
}

/** What fills one value of a request: a constant, a parameter's marshalled value, or the TTL filter's second. */
type Fill = AttributeValue | { readonly param: string; readonly encode: (v: unknown, ctx: EncodeContext) => AttributeValue | undefined } | 'now';

/** One placeholder map of a request (ExpressionAttributeValues or a GetItem's Key), in its order. */
type Layout = readonly (readonly [string, Fill])[];

/** A read compiled once with markers for its parameters, filled per call. */
interface Template {
  readonly parts: ReadParts;
  readonly values: Layout | undefined;
  readonly key: Layout | undefined;
  /** The cursor identity's request, compiled on the first page() with a cursor. */
  identity?: { readonly request: ReadRequest['request']; readonly values: Layout | undefined };
}

type Variant = 'all' | 'first' | 'count';

/** What a prepared query needs of the query its callback built (a Query). */
export interface PreparedSource {
  readParts(counting?: boolean, scan?: boolean, now?: Date): ReadParts;
  limit(n: number): PreparedSource;
}


/**
 * A query prepared once and run many times with parameters (`orm.model(M).prepare(...)`). The
 * callback ran once with placeholders; each kind of read (all/page/iterate, first, count) is
 * compiled once, on first use, and every call only marshals the parameters into the cached
 * layout of ExpressionAttributeValues (and the Key of a GetItem plan). A shape the markers cannot
 * stand in (a key template composing a parameter into a key string, a condition checked on each
 * item read) is rebuilt per call by running the callback with the values: slower, as correct.
 */
export class PreparedQuery<P, R> {
  private readonly recorded: PreparedSource;
  private readonly uses: Map<AttributeValue, ParamUse>;
  private readonly templates: Map<Variant, Template | 'rebuild'>;

  constructor(
    private readonly base: { readonly session: Session; readonly model: AnyModel; readonly state: { readonly signal: AbortSignal | undefined } },
    private readonly build: (params: P) => PreparedSource,
    /** Stops every call (`.signal()`); the builder's own signal does too. */
    private readonly stop?: AbortSignal,
    compiled?: PreparedQuery<P, R>,
  ) {
    if (compiled !== undefined) {
      // The same prepared query under another signal: its recording and templates are shared.
      this.recorded = compiled.recorded;
      this.uses = compiled.uses;
      this.templates = compiled.templates;
      return;
    }
    this.uses = new Map();
    this.templates = new Map();
    const model = base.model.name;
    const params = new Map<string, Param>();
    const recording = new Proxy({}, {
      get: (_, name) => {
        if (typeof name !== 'string') return undefined;
        let p = params.get(name);
        if (p === undefined) params.set(name, (p = new Param(name, model, this.uses)));
        return p;
      },
    }) as P;
    const recorded = build(recording);
    if (!(recorded instanceof Object) || typeof (recorded as { readParts?: unknown }).readParts !== 'function') {
      const message = `prepare ${model}: the callback must return the query it builds on (q => q.where(...)), not ${typeof recorded}`;
      throw new ValidationError([{ attribute: '', expected: 'a query', received: typeof recorded, message }], { op: 'prepare', model }, message);
    }
    this.recorded = recorded;
  }

  /**
   * Stops every call of this prepared query when `signal` aborts (a new prepared query sharing
   * what this one compiled; this one is unchanged), as `.signal()` on the builder.
   */
  signal(signal: AbortSignal): PreparedQuery<P, R> {
    return new PreparedQuery<P, R>(this.base, this.build, signal, this);
  }

  /** Runs one call under the builder's and this query's signals and the call's `{ signal, timeoutMs }`. */
  private run<T>(op: string, options: CancelOptions | undefined, call: (session: Session) => Promise<T>): Promise<T> {
    return withOperation(this.base.session, op, this.base.model, [this.base.state.signal, this.stop], options, call);
  }

  /** Every matching item (up to the query's limit), across pages. */
  async all(params: P, options?: CancelOptions): Promise<R[]> {
    return this.run('all', options, (session) => this.execution(session, 'all', params).all());
  }

  /** The first matching item; rejects with ItemNotFoundError when there is none. */
  async first(params: P, options?: CancelOptions): Promise<R> {
    const [item] = await this.run('first', options, (session) => this.execution(session, 'first', params).all());
    if (item === undefined) {
      const model = this.base.model.name;
      const given = Object.entries(params as object).map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(', ');
      throw new ItemNotFoundError(`first ${model}: no item for the prepared query with ${given || 'no parameters'}`, { op: 'first', model, context: { params: Object.keys(params as object) } });
    }
    return item;
  }

  /** One page of `limit` items and the cursor of the next page. */
  async page(params: P, cursor?: string, options?: CancelOptions): Promise<Page<R>> {
    return this.run('page', options, (session) => this.execution(session, 'all', params, true).page(cursor));
  }

  /** Every matching item, page by page: the signals stop the iteration, the timeout bounds each page. */
  async *iterate(params: P, options?: CancelOptions): AsyncGenerator<R> {
    yield* withIteration(this.base.session, this.base.model, [this.base.state.signal, this.stop], options, (session, pageTimeoutMs) => this.execution(session, 'all', params, false, pageTimeoutMs).iterate());
  }

  /** How many items match. */
  async count(params: P, options?: CancelOptions): Promise<number> {
    return this.run('count', options, (session) => this.execution(session, 'count', params).count());
  }

  /** The plan and the exact SDK request these parameters make, without sending it. */
  explain(params: P): Explanation {
    const parts = this.parts('all', params);
    const { plan } = parts;
    return { operation: plan.operation, index: plan.path.index, request: parts.read.request, reasons: planReasons(plan) };
  }

  private execution(session: Session, variant: Variant, params: P, paging = false, pageTimeoutMs?: number): ReadExecution<R> {
    const template = this.template(variant);
    const { model } = this.base;
    if (template === 'rebuild') {
      const { plan, read, options } = this.rebuilt(variant, params);
      return new ReadExecution<R>(session, model, plan, read, pageTimeoutMs === undefined ? options : merged(options, { pageTimeoutMs }));
    }
    const { plan, options } = template.parts;
    const read = this.fill(template, params);
    return new ReadExecution<R>(session, model, plan, read, pageTimeoutMs === undefined ? options : merged(options, { pageTimeoutMs }), undefined, paging ? this.identity(template, params) : undefined);
  }

  private parts(variant: Variant, params: P): ReadParts {
    const template = this.template(variant);
    if (template === 'rebuild') return this.rebuilt(variant, params);
    return merged(template.parts, { read: this.fill(template, params) });
  }

  private rebuilt(variant: Variant, params: P): ReadParts {
    this.check(params);
    const parts = variantOf(this.build(params), variant).readParts(variant === 'count');
    return parts;
  }

  /** The template of a kind of read, compiled on its first use. */
  private template(variant: Variant): Template | 'rebuild' {
    let template = this.templates.get(variant);
    if (template !== undefined) return template;
    const now = new Date();
    const query = variantOf(this.recorded, variant);
    let parts: ReadParts;
    try {
      parts = query.readParts(variant === 'count', false, now);
    } catch {
      // Something read a marker's value (a key template, a range check): the callback runs per call, where the error, if any, is reported.
      this.templates.set(variant, 'rebuild');
      return 'rebuild';
    }
    const ttl = ttlValue(this.base.model, parts, now);
    const found = new Set<AttributeValue>();
    const request = parts.read.request as { ExpressionAttributeValues?: Record<string, AttributeValue>; Key?: Record<string, AttributeValue> };
    const values = this.layout(request.ExpressionAttributeValues, found, ttl);
    const key = parts.read.operation === 'GetItem' ? this.layout(request.Key, found, undefined) : undefined;
    // A value made from a marker's text (a key template composing it) cannot be filled per call.
    const derived = [...(values ?? []), ...(key ?? [])].some(([, f]) => f !== 'now' && !('param' in f) && f.S?.includes(MARKER) === true);
    template = found.size === this.uses.size && !derived ? { parts, values, key } : 'rebuild';
    this.templates.set(variant, template);
    return template;
  }

  /** The fills of a placeholder map: markers become parameters, the TTL value the current second. */
  private layout(map: Record<string, AttributeValue> | undefined, found: Set<AttributeValue>, ttl: AttributeValue | undefined): Layout | undefined {
    if (map === undefined) return undefined;
    return Object.entries(map).map(([token, v]): [string, Fill] => {
      const use = this.uses.get(v);
      if (use !== undefined) {
        found.add(v);
        return [token, { param: use.name, encode: valueEncoder(use.def) }];
      }
      return [token, v === ttl ? 'now' : v];
    });
  }

  /** The request of these parameters: the template's, with its value maps filled. */
  private fill(template: Template, params: P): ReadRequest {
    const { read } = template.parts;
    const request: Record<string, unknown> = { ...read.request };
    if (template.values !== undefined) request['ExpressionAttributeValues'] = this.values(template.values, params);
    if (template.key !== undefined) request['Key'] = this.values(template.key, params);
    return { operation: read.operation, request } as unknown as ReadRequest;
  }

  private values(layout: Layout, params: P): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    if (typeof params !== 'object' || params === null) this.check(params);
    const given = params as Record<string, unknown>;
    for (const [token, fill] of layout) {
      if (fill === 'now') out[token] = { N: String(Math.floor(Date.now() / 1000)) };
      else if ('param' in fill) {
        const ctx: EncodeContext = { issues: [] };
        const v = fill.encode(given[fill.param], ctx);
        if (v === undefined || ctx.issues.length > 0) throw this.invalid(fill.param, ctx.issues[0]?.expected ?? 'a value', ctx.issues[0]?.received ?? 'nothing');
        out[token] = v;
      } else out[token] = fill;
    }
    return out;
  }

  /** The cursor identity of these parameters, as the same query built with their values has it. */
  private identity(template: Template, params: P): string {
    const { plan, read, options } = template.parts;
    if (read.operation === 'GetItem') return readIdentity(this.base.model, this.fill(template, params).request, options);
    if (template.identity === undefined) {
      const request = identityRequest(this.base.model, plan, read.request.TableName!, options);
      template.identity = { request, values: this.layout((request as { ExpressionAttributeValues?: Record<string, AttributeValue> }).ExpressionAttributeValues, new Set(), undefined) };
    }
    const { request, values } = template.identity;
    return readIdentity(this.base.model, values === undefined ? request : merged(request, { ExpressionAttributeValues: this.values(values, params) }) as ReadRequest['request'], options);
  }

  private check(params: P): void {
    if (typeof params !== 'object' || params === null) throw this.invalid('', 'an object of parameters', params === null ? 'null' : typeof params);
    for (const name of new Set([...this.uses.values()].map((u) => u.name))) {
      if ((params as Record<string, unknown>)[name] === undefined) throw this.invalid(name, `a value for parameter "${name}"`, 'nothing');
    }
  }

  private invalid(name: string, expected: string, received: string): ValidationError {
    const model = this.base.model.name;
    const message = `prepared query ${model}: parameter "${name}": expected ${expected}, received ${received}`;
    return new ValidationError([{ attribute: name, expected, received, message }], { op: 'prepared', model }, message);
  }
}

/** The query a kind of read runs: first() reads one item. */
const variantOf = (query: PreparedSource, variant: Variant): PreparedSource => (variant === 'first' ? query.limit(1) : query);

/** The AttributeValue of the TTL filter compiled at `now` (ttl/expired.ts shares one node per second), if the read has one. */
function ttlValue(model: AnyModel, parts: ReadParts, now: Date): AttributeValue | undefined {
  if (parts.options.includeExpired === true || parts.read.operation === 'GetItem') return undefined;
  const node = unexpiredFilter(model, parts.plan.path, now);
  if (node?.kind !== 'or') return undefined;
  const compare = node.items[1];
  return compare?.kind === 'compare' && compare.right.kind === 'value' ? compare.right.value : undefined;
}
