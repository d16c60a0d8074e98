/**
 * State a process learns while it loads layers and keeps for later loads: the AWS clients strataconf
 * creates, the clock offset and bucket regions the light transport learns, per endpoint. Every such
 * map is made here, so `resetConfigCache()` forgets all of it in one call (as Powertools'
 * `clearCaches()` resets every provider), and two endpoints in one process (a local stand-in beside
 * real AWS) never share what one of them taught.
 */

const maps: Map<unknown, unknown>[] = [];

/** A map of process-wide state, emptied by {@link resetProcessState}. */
export function stateMap<K, V>(): Map<K, V> {
  const map = new Map<K, V>();
  maps.push(map as Map<unknown, unknown>);
  return map;
}

/** Forgets every client, learnt clock offset and learnt bucket region. */
export function resetProcessState(): void {
  for (const map of maps) map.clear();
}
