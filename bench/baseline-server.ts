/**
 * The naive baseline the intake bench compares Ombuds against, run as its own process by bench/run.ts:
 * express 5 + express.json() + zod validation of the same ApiMessageBody contract + one INSERT (pg Pool, as many
 * connections as Ombuds's default PG_POOL_MAX) + one BullMQ Queue.add per request, answering 202. Deliberately
 * naive: no API key, no dedupe, no complaint shell, no audit event, no PII redaction, no batching.
 *
 * Environment: PORT, DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PG_POOL_MAX (default 20).
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ApiMessageBody } from '../src/contracts/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`baseline: ${name} is required`);
  return value;
}

const port = Number(required('PORT'));
const pool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.PG_POOL_MAX ?? '20') });
pool.on('error', () => undefined);
await pool.query(`CREATE TABLE IF NOT EXISTS baseline_messages (
  id                 uuid PRIMARY KEY,
  client_message_id  text,
  sender             jsonb NOT NULL,
  text               text NOT NULL,
  received_at        timestamptz NOT NULL
)`);
const redis = new Redis(required('REDIS_URL'), { maxRetriesPerRequest: null });
const queue = new Queue('intake', { connection: redis, prefix: required('QUEUE_PREFIX') });

const app = express();
app.disable('x-powered-by');
app.use(express.json());

app.get('/readyz', async (_request, response) => {
  await pool.query('SELECT 1');
  await redis.ping();
  response.json({ status: 'ready' });
});

app.post('/v1/messages', async (request, response) => {
  const parsed = ApiMessageBody.safeParse(request.body);
  if (!parsed.success) {
    response.status(400).json({ error: 'PAYLOAD_INVALID', issues: parsed.error.issues.length });
    return;
  }
  const body = parsed.data;
  const id = randomUUID();
  await pool.query('INSERT INTO baseline_messages (id, client_message_id, sender, text, received_at) VALUES ($1, $2, $3, $4, $5)', [
    id,
    body.clientMessageId ?? null,
    JSON.stringify(body.sender),
    body.text,
    new Date(),
  ]);
  await queue.add('intake', { messageId: id });
  response.status(202).json({ messageId: id });
});

let errorsLogged = 0;
app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
  // body-parser's errors (malformed JSON, too large) carry their HTTP status.
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status >= 500 && errorsLogged++ < 5) console.error('baseline: request failed:', error);
  response.status(status).json({ error: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST' });
});

const server = app.listen(port, '127.0.0.1', (error?: Error) => {
  if (error) throw error;
  console.log(`baseline listening on http://127.0.0.1:${port}`);
});

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  void Promise.allSettled([queue.close(), pool.end()])
    .then(() => redis.quit())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
