import type { Logger } from '../query/session.js';
import type { DynamORMEvents, EventName, Listener, Middleware } from './events.js';

type Listeners = { [E in EventName]: Listener<E>[] };

/** The listeners of `orm.on` and the middleware of `orm.use`; a listener that fails is reported, never thrown. */
export class Hooks {
  private readonly listeners: Listeners = { request: [], response: [], retry: [], error: [], warning: [] };
  private chain: readonly Middleware[] = [];
  /** Called when listeners or middleware come or go, so the pipeline re-decides what it observes. */
  onChange: () => void = () => {};

  constructor(private readonly logger: Logger) {}

  get middleware(): readonly Middleware[] {
    return this.chain;
  }

  has(event: EventName): boolean {
    return this.listeners[event].length > 0;
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    if (!(event in this.listeners)) throw new TypeError(`orm.on: unknown event "${String(event)}"; events are ${Object.keys(this.listeners).join(', ')}`);
    // A copy per change: an emit in progress keeps the list it started with.
    this.listeners[event] = [...this.listeners[event], listener] as Listeners[E];
    this.onChange();
    return () => {
      this.listeners[event] = this.listeners[event].filter((l) => l !== listener) as Listeners[E];
      this.onChange();
    };
  }

  use(middleware: Middleware): () => void {
    this.chain = [...this.chain, middleware];
    this.onChange();
    return () => {
      this.chain = this.chain.filter((m) => m !== middleware);
      this.onChange();
    };
  }

  emit<E extends EventName>(event: E, payload: DynamORMEvents[E]): void {
    for (const listener of this.listeners[event]) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.then(undefined, (error: unknown) => this.failed(event, error));
      } catch (error) {
        this.failed(event, error);
      }
    }
  }

  private failed(event: EventName, error: unknown): void {
    this.logger.warn(`DynamORM: a '${event}' listener threw (the operation went on): ${error instanceof Error ? error.message : String(error)}`);
    // A failing error listener is only logged: reporting it as an error event could loop.
    if (event !== 'error') this.emit('error', { kind: 'hook', event, error });
  }
}
