/**
 * `/healthz` (the process answers) and `/readyz` (the database and the queue answer; 503 otherwise).
 */
import { Router } from 'express';
import type { QueueDriver } from '../queue/index.js';
import type { Database } from '../store/index.js';

async function check(probe: () => Promise<void>, timeoutMs: number): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => {
      resolve('unavailable');
    }, timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => 'ok' as const, () => 'unavailable' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: { database: Database; queue: QueueDriver }): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const [database, queue] = await Promise.all([check(() => deps.database.ping(), 2_000), check(() => deps.queue.ping(), 2_000)]);
    const ready = database === 'ok' && queue === 'ok';
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: { database: { kind: deps.database.kind, status: database }, queue: { kind: deps.queue.kind, status: queue } },
    });
  });
  return router;
}
