import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { findApiClientCallback, setApiClientCallback } from './api-client-callbacks.js';
import { insertApiClient } from './credentials.js';

describe.each(['pglite', 'postgres'] as const)('API client callbacks on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function client(): Promise<string> {
    const id = randomUUID();
    await insertApiClient(test.database, { id, name: `app-${id}`, keyPrefix: id.slice(0, 12), keyHash: '0'.repeat(64) });
    return id;
  }

  it('is unset until registered, then replaced, then removed', async () => {
    const id = await client();
    expect(await findApiClientCallback(test.database, id)).toBeNull();
    expect(await setApiClientCallback(test.database, id, { url: 'https://app.example/hook', secret: 'whsec_one' })).toBe(true);
    expect(await findApiClientCallback(test.database, id)).toEqual({ url: 'https://app.example/hook', secret: 'whsec_one' });
    await setApiClientCallback(test.database, id, { url: 'https://app.example/v2', secret: 'whsec_two' });
    expect(await findApiClientCallback(test.database, id)).toEqual({ url: 'https://app.example/v2', secret: 'whsec_two' });
    expect(await setApiClientCallback(test.database, id, null)).toBe(true);
    expect(await findApiClientCallback(test.database, id)).toBeNull();
  });

  it('has no callback for a disabled or unknown app', async () => {
    const id = await client();
    await setApiClientCallback(test.database, id, { url: 'https://app.example/hook', secret: 'whsec_one' });
    await test.database.query('UPDATE api_clients SET disabled_at = now() WHERE id = $1', [id]);
    expect(await findApiClientCallback(test.database, id)).toBeNull();
    expect(await findApiClientCallback(test.database, randomUUID())).toBeNull();
    expect(await setApiClientCallback(test.database, randomUUID(), { url: 'https://app.example/hook', secret: 'x' })).toBe(false);
  });
});
