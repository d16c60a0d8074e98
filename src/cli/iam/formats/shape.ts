import type { Pattern } from '../pattern.js';
import type { Statement } from '../statements.js';

/** A statement as IAM's JSON names its fields, with each pattern written by one output format. */
export interface StatementShape<V> {
  Sid: string;
  Effect: 'Allow';
  /** One action as a string (as AWS's examples write it), several as a list. */
  Action: string | string[];
  Resource: V;
  Condition?: Record<string, Record<string, V[]>>;
}

/** The IAM fields of `statement`, each pattern written by `write`. */
export function shapeOf<V>(statement: Statement, write: (pattern: Pattern) => V): StatementShape<V> {
  const { sid, actions, resource, condition } = statement;
  const shape: StatementShape<V> = {
    Sid: sid,
    Effect: 'Allow',
    Action: actions.length === 1 ? (actions[0] as string) : [...actions],
    Resource: write(resource),
  };
  if (condition !== undefined) {
    shape.Condition = Object.fromEntries(
      Object.entries(condition).map(([operator, keys]) => [
        operator,
        Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, values.map(write)])),
      ]),
    );
  }
  return shape;
}

/** The policy language version every statement is written for (its wildcards and `${...}` escapes). */
export const POLICY_VERSION = '2012-10-17';
