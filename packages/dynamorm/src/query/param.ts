import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import type { AttrDef } from '../schema/attribute.js';

/** The text of markers: a value holding it was made from a marker (a key template composing it). */
export const MARKER = '\u0000dynamorm.param:';

/** Where a prepared query's parameters were used as values: each marker and how to marshal its parameter. */
export interface ParamUse {
  readonly name: string;
  readonly def: AttrDef;
}

/**
 * A parameter of a prepared query while its callback runs once (query/prepared.ts): it stands for
 * a value. Used as a condition's value it becomes a marker AttributeValue, which the prepared
 * query finds in the compiled request by identity and fills per call. Used anywhere its value
 * would decide the request's shape (an attribute, an operator, a limit, the callback's own
 * logic), it throws.
 */
export class Param {
  constructor(
    readonly name: string,
    private readonly model: string,
    private readonly uses: Map<AttributeValue, ParamUse>,
  ) {}

  /** A fresh marker standing for this parameter, marshalled per call by `def`. */
  use(def: AttrDef): AttributeValue {
    const marker: AttributeValue = { S: `${MARKER}${this.name}` };
    this.uses.set(marker, { name: this.name, def });
    return marker;
  }

  /** The error of a parameter used where the query's shape is decided. */
  misuse(where: string): ValidationError {
    const message = `prepare ${this.model}: parameter "${this.name}" is used ${where}; a prepared query fixes its attributes, operators, index, order, limit and the callback's logic once, and takes parameters only as the values of conditions (where, filter, key)`;
    return new ValidationError([{ attribute: this.name, expected: 'a parameter used as a condition value', received: where, message }], { op: 'prepare', model: this.model }, message);
  }

  [Symbol.toPrimitive](): never {
    throw this.misuse('as a primitive (compared, concatenated or printed by the callback, or as an attribute, operator, index or limit)');
  }
}

export const isParam = (v: unknown): v is Param => v instanceof Param;

/** Throws when `v` is a parameter: it stands where the query's shape is decided. */
export function refuseParam(v: unknown, where: string): void {
  if (v instanceof Param) throw v.misuse(where);
}
