import type { CompiledDelete } from './delete.js';
import type { CompiledPut } from './put.js';
import type { CompiledUpdate } from './update.js';

/** A write compiled by the builder but not sent: sent on its own, or enqueued by a transaction. */
export type PreparedWrite =
  | { readonly kind: 'create' | 'put'; readonly compiled: CompiledPut }
  | { readonly kind: 'update'; readonly compiled: CompiledUpdate }
  | { readonly kind: 'delete'; readonly compiled: CompiledDelete };

/** The prepared write of one kind. */
export type PreparedWriteOf<K extends PreparedWrite['kind']> = K extends 'update'
  ? Extract<PreparedWrite, { kind: 'update' }>
  : K extends 'delete' ? Extract<PreparedWrite, { kind: 'delete' }> : Extract<PreparedWrite, { kind: 'create' | 'put' }>;
