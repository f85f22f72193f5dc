import {
  GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString,
  type GraphQLFieldConfigMap, type GraphQLInputFieldConfigMap, type GraphQLInputType, type GraphQLOutputType,
} from 'graphql';
import type { AttributeDescription } from 'dynamorm';
import { BigIntScalar, BinaryScalar, DateTimeScalar, JsonScalar } from './scalars.js';
import { isGraphQLName, pascal } from './names.js';

/** Builds the GraphQL types of attributes, each named type once (enums and nested objects shared by output and input). */
export class TypeBuilder {
  private readonly enums = new Map<string, GraphQLEnumType>();
  private readonly outputs = new Map<string, GraphQLObjectType>();
  private readonly inputs = new Map<string, GraphQLInputObjectType>();

  /** A GraphQL enum of a `t.enum`, or undefined when a value is no GraphQL name (the attribute is then a String). */
  private enumOf(owner: string, a: AttributeDescription): GraphQLEnumType | undefined {
    const values = a.values ?? [];
    if (!values.every(isGraphQLName) || values.some((v) => v === 'true' || v === 'false' || v === 'null')) return undefined;
    const name = `${owner}${pascal(a.name)}`;
    let type = this.enums.get(name);
    if (type === undefined) {
      type = new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, { value: v }])) });
      this.enums.set(name, type);
    }
    return type;
  }

  private scalar(owner: string, a: AttributeDescription): GraphQLOutputType & GraphQLInputType {
    switch (a.kind) {
      case 'string': return GraphQLString;
      case 'number': case 'ttl': return GraphQLFloat;
      case 'bigint': return BigIntScalar;
      case 'boolean': return GraphQLBoolean;
      case 'binary': return BinaryScalar;
      case 'date': return DateTimeScalar;
      case 'enum': return this.enumOf(owner, a) ?? GraphQLString;
      case 'stringSet': return new GraphQLList(new GraphQLNonNull(GraphQLString));
      case 'numberSet': return new GraphQLList(new GraphQLNonNull(GraphQLFloat));
      case 'binarySet': return new GraphQLList(new GraphQLNonNull(BinaryScalar));
      default: return JsonScalar; // map, unknown, custom: their values as JSON
    }
  }

  /** The output type of an attribute, non-null unless it may be absent or null. */
  output(owner: string, a: AttributeDescription): GraphQLOutputType {
    const type = this.nullableOutput(owner, a);
    return a.optional || a.nullable ? type : new GraphQLNonNull(type);
  }

  private nullableOutput(owner: string, a: AttributeDescription): GraphQLOutputType {
    if (a.kind === 'list') return new GraphQLList(this.output(owner, { ...a.element!, name: a.name }));
    if (a.kind === 'object') return this.objectType(`${owner}${pascal(a.name)}`, a.shape!);
    return this.scalar(owner, a);
  }

  /** An object type of attributes (a model's, or a nested object's). */
  objectType(name: string, attributes: readonly AttributeDescription[], extra: () => GraphQLFieldConfigMap<unknown, unknown> = () => ({})): GraphQLObjectType {
    let type = this.outputs.get(name);
    if (type === undefined) {
      type = new GraphQLObjectType({
        name,
        fields: () => ({ ...Object.fromEntries(attributes.map((a) => [checkedName(name, a.name), { type: this.output(name, a) }])), ...extra() }),
      });
      this.outputs.set(name, type);
    }
    return type;
  }

  /** The input type of an attribute: `required` makes it non-null. */
  input(owner: string, a: AttributeDescription, required: boolean): GraphQLInputType {
    const type = this.nullableInput(owner, a);
    return required ? new GraphQLNonNull(type) : type;
  }

  private nullableInput(owner: string, a: AttributeDescription): GraphQLInputType {
    if (a.kind === 'list') return new GraphQLList(this.input(owner, { ...a.element!, name: a.name }, !a.element!.optional && !a.element!.nullable));
    if (a.kind === 'object') {
      const shape = a.shape!;
      return this.inputType(`${owner}${pascal(a.name)}Input`, shape.map((s) => ({ attribute: s, required: !s.optional && !s.nullable && !s.generated })), `${owner}${pascal(a.name)}`);
    }
    return this.scalar(owner, a);
  }

  /** An input object type of attributes, each required or not. */
  inputType(name: string, fields: readonly { attribute: AttributeDescription; required: boolean }[], owner: string): GraphQLInputObjectType {
    let type = this.inputs.get(name);
    if (type === undefined) {
      type = new GraphQLInputObjectType({
        name,
        fields: (): GraphQLInputFieldConfigMap => Object.fromEntries(fields.map(({ attribute, required }) => [checkedName(name, attribute.name), { type: this.input(owner, attribute, required) }])),
      });
      this.inputs.set(name, type);
    }
    return type;
  }
}

function checkedName(owner: string, name: string): string {
  if (!isGraphQLName(name)) throw new Error(`toGraphQLSchema: ${owner}.${name} is not a valid GraphQL field name (letters, digits and _, not starting with a digit or __)`);
  return name;
}

/** GraphQL arguments and inputs back to the values the ORM takes: lists of set attributes become Sets, nested objects too. */
export function toModelValue(a: AttributeDescription, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (a.kind) {
    case 'stringSet': case 'numberSet': case 'binarySet': return new Set(value as unknown[]);
    case 'list': return (value as unknown[]).map((v) => toModelValue(a.element!, v));
    case 'object': return toModelObject(a.shape!, value as Record<string, unknown>);
    default: return value;
  }
}

export function toModelObject(attributes: readonly AttributeDescription[], value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of attributes) if (a.name in value) out[a.name] = toModelValue(a, value[a.name]);
  return out;
}
