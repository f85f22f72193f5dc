import { DynamORMError } from '../errors/errors.js';

/**
 * A mock that saw a call no expectation allows (`mock.unexpectedCall`), expectations never
 * met (`mock.unmetExpectations`), or an expectation that cannot answer the call it met
 * (`mock.invalidExpectation`). It is a DynamORMError, so the ORM passes it to the code
 * under test as it is, with the whole explanation in its message.
 */
export class MockError extends DynamORMError {
  constructor(code: 'mock.unexpectedCall' | 'mock.unmetExpectations' | 'mock.invalidExpectation', message: string, details: { op: string; model?: string | undefined; context?: Record<string, unknown> }) {
    super(code, message, details);
  }
}

/** A readable operand in an expectation's description: strings quoted, dates as ISO text. */
export function show(value: unknown): string {
  if (value instanceof Date) return `new Date('${value.toISOString()}')`;
  if (value instanceof Set) return `new Set([${[...value].map(show).join(', ')}])`;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}
