import type { RemoteDescriptor } from '../../descriptor.js';
import type { Part, Pattern } from './pattern.js';

/**
 * The shapes the IAM policy is built from: what each layer needs (a grant), where its ARNs point,
 * the statements and the notes a format writes. Kept apart so the builders (statements, appconfig,
 * notes, policy) import them without importing each other.
 */

/** One statement of the policy, before a format writes it. */
export interface Statement {
  /** Letters and digits only (IAM's rule), unique in the policy. */
  sid: string;
  actions: readonly string[];
  resource: Pattern;
  /** Operator -> condition key -> values. */
  condition?: Readonly<Record<string, Readonly<Record<string, readonly Pattern[]>>>>;
}

/** `--region` and `--account`: where the policy's ARNs point when a source does not say. */
export interface Scope {
  region?: string;
  account?: string;
}

/** The partition, region and account of one layer's ARN. */
export interface Place {
  partition: Part;
  region: Part;
  account: Part;
  /** The region as text when it is known (for the endpoint in a `kms:ViaService` condition). */
  knownRegion?: string;
}

/** What one remote layer needs: its statement, and what to tell the user about it. */
export interface Grant {
  statement: Omit<Statement, 'sid'>;
  /** The words of its Sid (`['orders', 'prod']`), after the store's own word. */
  sidWords: string[];
  /** Facts strataconf cannot see that may change the grant (said on stderr, never in the policy). */
  notes: string[];
  place: Place;
}

/** Something the user should know beside the policy, with statements they may add. */
export interface Note {
  /** What it is about: a layer's name, or several. */
  subject: string;
  text: string;
  /** Optional statements, ready to paste, that strataconf cannot decide on. */
  statements?: Statement[];
}

/** What `strataconf iam` prints: the statements (stdout) and the notes (stderr). */
export interface PolicyPlan {
  statements: Statement[];
  notes: Note[];
}

/** A remote layer and its grant. */
export interface Granted {
  name: string;
  descriptor: RemoteDescriptor;
  grant: Grant;
}
