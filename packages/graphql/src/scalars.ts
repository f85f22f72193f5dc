import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const literalString = (ast: ValueNode, scalar: string): string => {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${scalar} must be given as a string`);
  return ast.value;
};

/** Dates as ISO-8601 text (`2024-05-02T09:30:00.000Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A date and time, as ISO-8601 text (2024-05-02T09:30:00.000Z).',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(literalString(ast, 'DateTime')),
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw new GraphQLError(`expected an ISO-8601 date such as 2024-05-02T09:30:00.000Z, received ${JSON.stringify(value)}`);
  return date;
}

/** Integers beyond 2^53 (`t.bigint()`), as decimal text. */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'An exact integer of any size, as decimal text ("9007199254740993").',
  serialize: (value) => String(value as bigint),
  parseValue: (value) => parseBigInt(value),
  parseLiteral: (ast) => parseBigInt(ast.kind === Kind.INT ? ast.value : literalString(ast, 'BigInt')),
});

function parseBigInt(value: unknown): bigint {
  if ((typeof value === 'string' && /^-?\d+$/.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value))) return BigInt(value);
  throw new GraphQLError(`expected an integer as decimal text, received ${JSON.stringify(value)}`);
}

/** Binary values (`t.binary()`), as base64 text. */
export const BinaryScalar = new GraphQLScalarType<Uint8Array, string>({
  name: 'Binary',
  description: 'Binary data, as base64 text.',
  serialize: (value) => Buffer.from(value as Uint8Array).toString('base64'),
  parseValue: (value) => parseBinary(value),
  parseLiteral: (ast) => parseBinary(literalString(ast, 'Binary')),
});

function parseBinary(value: unknown): Uint8Array {
  if (typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) return new Uint8Array(Buffer.from(value, 'base64'));
  throw new GraphQLError(`expected base64 text, received ${JSON.stringify(value)}`);
}

/** What a JSON scalar shows of a value the model does not type (`t.map`, `t.unknown()`). */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Set) return [...value].map(toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

function literalJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalJson(f.value)]));
    case Kind.LIST: return ast.values.map(literalJson);
    case Kind.INT: case Kind.FLOAT: return Number(ast.value);
    case Kind.STRING: case Kind.ENUM: return ast.value;
    case Kind.BOOLEAN: return ast.value;
    case Kind.NULL: return null;
    default: throw new GraphQLError('JSON values cannot hold variables');
  }
}

/** Maps and untyped values (`t.map`, `t.unknown()`), as JSON. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value (maps and untyped attributes).',
  serialize: toJson,
  parseValue: (value) => value,
  parseLiteral: literalJson,
});
