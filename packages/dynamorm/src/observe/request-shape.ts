import type { AnyModel } from '../schema/model.js';
import type { DynamoRequest } from './request.js';

interface Expressions {
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

/**
 * The shape of a request no builder described (writes, batches, transactions): its key
 * condition, filter and condition as sent, `#name` placeholders read back as the model's
 * attribute names and every `:value` a `?`. Values are never looked at.
 */
export function requestShape(request: DynamoRequest, model: AnyModel | undefined): string {
  const input = request.input as Expressions;
  // A get, a plain put or delete: nothing to read.
  if (input.KeyConditionExpression === undefined && input.FilterExpression === undefined && input.ConditionExpression === undefined) return '';
  const names = input.ExpressionAttributeNames;
  const text = (expression: string): string => expression
    .replace(/#[\w]+/g, (n) => {
      const field = names?.[n] ?? n;
      return model?.codec.entries.find((e) => e.field === field)?.name ?? field;
    })
    .replace(/:[\w]+/g, '?')
    .replace(/\(\?(?:, ?\?)+\)/g, '(?)')
    .replace(/\bAND\b/g, 'and').replace(/\bOR\b/g, 'or').replace(/\bNOT\b/g, 'not').replace(/\bBETWEEN\b/g, 'between').replace(/\bIN\b/g, 'in');
  const parts: string[] = [];
  if (input.KeyConditionExpression !== undefined) parts.push(text(input.KeyConditionExpression));
  if (input.FilterExpression !== undefined) parts.push('filter', text(input.FilterExpression));
  if (input.ConditionExpression !== undefined) parts.push('if', text(input.ConditionExpression));
  return parts.join(' ');
}
