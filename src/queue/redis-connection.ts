/**
 * Opens and closes the ioredis connections of the BullMQ driver. bullmq 6 does not bundle ioredis, so the driver
 * hands it ready-made clients; `maxRetriesPerRequest: null` is what BullMQ requires of them. The URL is never
 * logged: it may carry a password.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { createThrottledErrorLog } from './throttled-error-log.js';
import { withTimeout } from './with-timeout.js';

/**
 * `role` names the connection in logs (e.g. `producer`, `worker-intake`); in Redis `CLIENT LIST` it is named
 * `<prefix>-<role>`, next to BullMQ's own blocking connections, named `<prefix>:<queue in base64>`.
 */
export function openRedisConnection(url: string, prefix: string, role: string, logger: Logger | undefined): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, connectionName: `${prefix}-${role}` });
  connection.on('error', createThrottledErrorLog(logger, { connection: role }));
  return connection;
}

/** Quits politely when connected (bounded by `timeoutMs`), otherwise drops the socket and stops reconnecting. */
export async function closeRedisConnection(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status === 'ready') {
    try {
      await withTimeout(connection.quit(), timeoutMs, () => new Error('Redis QUIT timed out'));
    } catch {
      // Disconnecting below is the fallback.
    }
  }
  // Safe on a connection that QUIT already ended; stops the reconnection timer of one that never connected.
  connection.disconnect();
}
