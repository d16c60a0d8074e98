import { describeSource, isRemote, type RemoteDescriptor } from '../../descriptor.js';
import type { Source } from '../../types.js';
import { extraNotes } from './notes.js';
import { sidOf, uniqueSids } from './sid.js';
import { grantFor } from './statements.js';
import type { Granted, Note, PolicyPlan, Scope, Statement } from './types.js';

export type { Granted, Note, PolicyPlan } from './types.js';

const STORE_WORD: Record<RemoteDescriptor['store'], string> = {
  s3: 'S3',
  ssm: 'Ssm',
  'secrets-manager': 'Secret',
  appconfig: 'AppConfig',
};

/** The remote layers and their grants, in order; notes for the sources strataconf cannot read. */
function grantsOf(sources: readonly Source<string>[], scope: Scope, notes: Note[]): Granted[] {
  const granted: Granted[] = [];
  for (const source of sources) {
    const descriptor = describeSource(source);
    const subject = source.name;
    if (descriptor === undefined) {
      const text =
        'a source strataconf did not build: it cannot see what it reads, so the policy has nothing for it; add its grants yourself';
      notes.push({ subject, text });
    } else if (isRemote(descriptor) && source.enabled === false) {
      const text =
        'disabled here (enabled: false), so the policy has nothing for it; run strataconf iam with the environment the function has where it is enabled';
      notes.push({ subject, text });
    } else if (isRemote(descriptor)) {
      const grant = grantFor(descriptor, scope);
      for (const text of grant.notes) notes.push({ subject, text });
      granted.push({ name: subject, descriptor, grant });
    }
  }
  return granted;
}

const keyOf = (s: Omit<Statement, 'sid'>) => JSON.stringify([s.actions, s.resource, s.condition ?? null]);

/** One statement per layer; two layers reading the same thing share one (the first one's Sid). */
function statementsOf(granted: readonly Granted[]): Statement[] {
  const seen = new Set<string>();
  const kept = granted.filter(({ grant }) => {
    const key = keyOf(grant.statement);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const sids = uniqueSids(kept.map((g) => sidOf(STORE_WORD[g.descriptor.store], g.grant.sidWords)));
  return kept.map((g, i) => ({ sid: sids[i] as string, ...g.grant.statement }));
}

/**
 * The least-privilege policy for `sources`, read from their descriptors (never their names): one
 * statement per remote layer; local layers need none. Where a grant depends on what strataconf
 * cannot see (a KMS key, a user-written source, AppConfig names), a note says so.
 */
export function planPolicy(sources: readonly Source<string>[], scope: Scope): PolicyPlan {
  const notes: Note[] = [];
  const granted = grantsOf(sources, scope, notes);
  const statements = statementsOf(granted);
  return { statements, notes: [...notes, ...extraNotes(granted, new Set(statements.map((s) => s.sid)))] };
}
