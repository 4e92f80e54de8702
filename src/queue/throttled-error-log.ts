/**
 * Logs a repeating error at most once per interval. While Redis is down, ioredis and BullMQ report an error on
 * every reconnection attempt (several a second); one line per interval, with the number held back, is enough.
 */
import type { Logger } from '../shared/logger.js';

export function createThrottledErrorLog(
  logger: Logger | undefined,
  context: Record<string, string>,
  intervalMs = 30_000,
): (error: unknown) => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < intervalMs) {
      heldBack += 1;
      return;
    }
    logger?.warn({ ...context, err: error, repeatedErrorsHeldBack: heldBack }, 'queue connection error');
    lastLoggedAt = now;
    heldBack = 0;
  };
}
