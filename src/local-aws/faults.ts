import type { IncomingMessage } from 'node:http';
import type { Call } from './call.js';
import type { LocalAwsFault, LocalAwsService } from './types.js';
import { AwsFailure, defaultMessage, defaultStatus } from './wire.js';

/**
 * Faults queued per service by `fail()`: the next requests to that service (of one operation, when
 * the fault names one) get them in order, each as many times as it says.
 */

/** A fault as queued, with what is left of it. */
interface Queued {
  fault: LocalAwsFault;
  left: number;
}

const SERVICES: readonly LocalAwsService[] = ['s3', 'ssm', 'secrets', 'appconfig'];

/** The fault queues of one server. */
export class FaultQueues {
  private readonly queues = new Map<LocalAwsService, Queued[]>();

  /** Queues `fault` for `service`; throws a TypeError for a service or fault it cannot answer. */
  add(service: LocalAwsService, fault: LocalAwsFault): void {
    if (!SERVICES.includes(service))
      throw new TypeError(
        `fail: service must be one of ${SERVICES.join(', ')}, not ${JSON.stringify(service)}`,
      );
    if (typeof fault?.code !== 'string' || fault.code === '')
      throw new TypeError('fail: the fault needs a code (an AWS error code, ECONNRESET or Slow)');
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new TypeError(`fail: times must be 1 or more, not ${String(fault.times)}`);
    if (
      fault.status !== undefined &&
      !(Number.isInteger(fault.status) && fault.status >= 300 && fault.status < 600)
    )
      throw new TypeError(`fail: status must be an HTTP error status, not ${String(fault.status)}`);
    const queue = this.queues.get(service) ?? [];
    queue.push({ fault: { ...fault }, left: times });
    this.queues.set(service, queue);
  }

  /** The fault the next request of `operation` gets, used up by one; undefined when none waits. */
  take(service: LocalAwsService, operation: string): LocalAwsFault | undefined {
    const queue = this.queues.get(service);
    const index =
      queue?.findIndex((q) => q.fault.operation === undefined || q.fault.operation === operation) ?? -1;
    if (queue === undefined || index < 0) return undefined;
    const queued = queue[index] as Queued;
    queued.left -= 1;
    if (queued.left <= 0) queue.splice(index, 1);
    return queued.fault;
  }

  /** Forgets the faults of `service`, or of every service. */
  clear(service?: LocalAwsService): void {
    if (service === undefined) this.queues.clear();
    else this.queues.delete(service);
  }
}

/** Timers of slow answers, all cut short when the server closes. */
export class Delays {
  private readonly pending = new Set<() => void>();
  private closed = false;

  /** Resolves true after `ms`, or false at once when the server closes first. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve(!this.closed);
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  /** Ends every wait (each resolves false). */
  close(): void {
    this.closed = true;
    for (const done of [...this.pending]) done();
  }
}

/**
 * Answers `fault` for `call`: resolves 'answer' for a slow but normal answer, 'dropped' when the
 * connection was reset (or the server closed while it waited); throws the fault's AWS error.
 */
export async function applyFault(
  fault: LocalAwsFault,
  call: Call,
  region: string,
  req: IncomingMessage,
  delays: Delays,
): Promise<'answer' | 'dropped'> {
  const delay = fault.delayMs ?? (fault.code === 'Slow' ? 5000 : 0);
  if (delay > 0 && !(await delays.wait(delay))) return 'dropped';
  if (fault.code === 'Slow') return 'answer';
  if (fault.code === 'ECONNRESET') {
    req.socket.resetAndDestroy();
    return 'dropped';
  }
  throw new AwsFailure(
    fault.status ?? defaultStatus(call.format, fault.code),
    fault.code,
    fault.message ?? defaultMessage(call.service, fault.code, call.operation, call.arn(region)),
  );
}
