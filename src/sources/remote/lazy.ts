import { describe, type RemoteDescriptor } from '../../descriptor.js';
import type { Source, SourceContext } from '../../types.js';

/** What a remote layer is before it first loads: enough to name, key, explain and skip it. */
export interface RemoteFront {
  name: string;
  optional: boolean;
  enabled: boolean | undefined;
  /** What the layer reads; the cache identity is derived from it. */
  descriptor: RemoteDescriptor;
}

/**
 * A remote layer whose engine (the transport, the retries, the failure table, the parsing of the
 * store's answers) is imported at its first load rather than with strataconf: a function whose
 * layers are all local never compiles that code, which was most of the package's import time. The
 * factory has checked the options already (a mistake still throws at once, never at the load), and
 * the engine's source keeps its state (the last good layer, ETags) across loads.
 */
export function lazyRemote(front: RemoteFront, engine: () => Promise<Source>): Source {
  let built: Promise<Source> | undefined;
  const load = async (ctx: SourceContext): Promise<object | undefined> => {
    built ??= engine().catch((err: unknown) => {
      built = undefined; // a failed import is tried again by the next load
      throw err;
    });
    return (await built).load(ctx);
  };
  const source: Source = { name: front.name, optional: front.optional, load };
  if (front.enabled !== undefined) source.enabled = front.enabled;
  return describe(source, front.descriptor);
}
