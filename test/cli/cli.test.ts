/**
 * The `ombuds` command: migrate, staff add, client add (keys shown once, stored hashed, and they work), start-up
 * refused with a message naming a wrong variable, and serve/work refused without PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pg from 'pg';
import { createEmptyPostgresDatabase } from '../support/databases.js';
import { startHarness, type Harness } from '../support/ombuds-harness.js';
import { runOmbuds } from '../support/run-ombuds.js';

describe('ombuds command line', () => {
  let database: { url: string; drop: () => Promise<void> };
  let harness: Harness | null = null;

  beforeAll(async () => {
    database = await createEmptyPostgresDatabase();
  });
  afterAll(async () => {
    await harness?.close();
    await database.drop();
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await runOmbuds(['migrate'], { DATABASE_URL: database.url });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied: 0001_initial');
    const second = await runOmbuds(['migrate'], { DATABASE_URL: database.url });
    expect(second.stdout).toContain('up to date');
  });

  it('creates staff and app keys that are shown once, stored hashed, and authenticate', async () => {
    const staff = await runOmbuds(['staff', 'add', '--username', 'alice', '--role', 'supervisor', '--teams', 'cards,accounts'], { DATABASE_URL: database.url });
    expect(staff.code).toBe(0);
    const staffKey = /API key \(shown once, store it now\): (omb_staff_\S+)/.exec(staff.stdout)?.[1];
    expect(staffKey).toBeDefined();
    const app = await runOmbuds(['client', 'add', 'mobile-app'], { DATABASE_URL: database.url });
    const appKey = /(omb_app_\S+)/.exec(app.stdout)?.[1];
    expect(appKey).toBeDefined();

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const dump = await client.query<{ row: string }>(`SELECT row_to_json(s)::text AS row FROM staff s UNION ALL SELECT row_to_json(a)::text FROM api_clients a`);
    await client.end();
    const stored = dump.rows.map((row) => row.row).join('\n');
    expect(stored).not.toContain(staffKey);
    expect(stored).not.toContain(appKey);
    expect(stored).toContain('"teams":["cards","accounts"]');

    harness = await startHarness('production', { databaseUrl: database.url });
    const queue = await request(harness.ombuds.app).get('/v1/staff/queue').set('Authorization', `Bearer ${staffKey ?? ''}`);
    expect(queue.status).toBe(200);
    const posted = await request(harness.ombuds.app)
      .post('/v1/messages')
      .set('Authorization', `Bearer ${appKey ?? ''}`)
      .send({ sender: { id: 'c-1' }, text: 'My debit card was declined at the supermarket twice today.' });
    expect(posted.status).toBe(202);
  });

  it('refuses a duplicate username and a bad role with a clear message', async () => {
    const duplicate = await runOmbuds(['staff', 'add', '--username', 'alice'], { DATABASE_URL: database.url });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('A staff account named "alice" already exists.');
    const role = await runOmbuds(['staff', 'add', '--username', 'bob', '--role', 'boss'], { DATABASE_URL: database.url });
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('role must be one of agent, supervisor, admin');
  });

  it('stops at start-up with a message naming a wrong variable', async () => {
    const result = await runOmbuds(['start'], { PORT: 'eighty', REGIME: 'mars', DATA_DIR: 'memory://' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('REGIME');
    expect(result.stderr).toContain('.env.example');
  });

  it('evaluates the classifier on a labelled file given with --data', async () => {
    const result = await runOmbuds(['eval', '--data', 'fixtures/classifier/ombuds-labelled-dev.jsonl', '--summary'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Offline pipeline (rules + local model)');
    expect(result.stdout).toMatch(/fixtures\/classifier\/ombuds-labelled-dev\.jsonl \[all\] 240 rows: kind \d\.\d{3}/);
    const missing = await runOmbuds(['eval', '--data', 'no-such-file.jsonl'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-file.jsonl');
  });

  it('refuses serve and work without DATABASE_URL and REDIS_URL', async () => {
    for (const command of ['serve', 'work']) {
      const result = await runOmbuds([command], { DATA_DIR: 'memory://' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('needs DATABASE_URL and REDIS_URL');
    }
  });
});
