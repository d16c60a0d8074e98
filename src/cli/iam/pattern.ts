/**
 * The strings of a policy (ARNs, condition values) as parts, so each output format can write them
 * its own way: text taken literally, a wildcard strataconf chose, or a value of the account and region
 * the policy is deployed in, which a template knows (`${AWS::Region}`) and a JSON document does not.
 */

/** A wildcard strataconf wrote on purpose: `*` in place of an unknown ID, `??????` for a secret's suffix. */
export interface Wildcard {
  wildcard: string;
}

/** The partition, region, account or domain (`amazonaws.com`) of wherever the policy is deployed. */
export interface Pseudo {
  pseudo: 'partition' | 'region' | 'account' | 'urlSuffix';
}

/** A literal string, a wildcard, or a pseudo value. */
export type Part = string | Wildcard | Pseudo;

/** One policy string, in parts. */
export type Pattern = readonly Part[];

/** How one output format writes each kind of part. */
export interface PartWriter {
  literal(text: string): string;
  wildcard(text: string): string;
  pseudo(name: Pseudo['pseudo']): string;
}

/** The pattern as text, each part written by `writer`. */
export function writePattern(pattern: Pattern, writer: PartWriter): string {
  return pattern
    .map((part) => {
      if (typeof part === 'string') return writer.literal(part);
      return 'wildcard' in part ? writer.wildcard(part.wildcard) : writer.pseudo(part.pseudo);
    })
    .join('');
}

/** True when the pattern names a value of the deploying account or region (a template must fill it in). */
export function hasPseudo(pattern: Pattern): boolean {
  return pattern.some((part) => typeof part === 'object' && 'pseudo' in part);
}

/**
 * Text IAM must read literally. In a policy of version 2012-10-17, `*` and `?` are wildcards and `${`
 * opens a policy variable, even in an ARN: `${*}`, `${?}` and `${$}` are IAM's own escapes, so an S3
 * key `a*b` grants that one object and not `a-anything-b`.
 */
export function escapeIam(text: string): string {
  return text.replace(/[*?$]/g, (c) => `\${${c}}`);
}

/** The partition of a region: `cn-north-1` is in `aws-cn`, `us-gov-west-1` in `aws-us-gov`. */
export function partitionOf(region: string): string {
  const partitions: [string, string][] = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-iso-', 'aws-iso'],
    ['us-isob-', 'aws-iso-b'],
    ['eu-isoe-', 'aws-iso-e'],
    ['us-isof-', 'aws-iso-f'],
  ];
  return partitions.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}
