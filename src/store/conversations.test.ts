import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases.js';
import { listConversationsInDialog, lockConversation, saveConversationState } from './conversations.js';
import { resolveCustomerContext } from './customers.js';

describe.each(['pglite', 'postgres'] as const)('conversations on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function conversation(): Promise<string> {
    const address = `chat-${randomUUID()}`;
    const context = await test.database.transaction((tx) =>
      resolveCustomerContext(tx, { channel: 'telegram', address, displayName: null, conversationKey: address, complaintId: randomUUID() }),
    );
    return context.conversationId;
  }

  it('locks a conversation, saves its dialog state in the transaction, and reads it back', async () => {
    const id = await conversation();
    const at = new Date('2026-11-30T02:00:00Z');
    await test.database.transaction(async (tx) => {
      const locked = await lockConversation(tx, id);
      expect(locked).toMatchObject({ id, channel: 'telegram', state: {} });
      await saveConversationState(tx, id, { version: 1, phase: 'collecting', lastActivityAt: at.toISOString() }, at);
    });
    const again = await test.database.transaction((tx) => lockConversation(tx, id));
    expect(again?.state).toEqual({ version: 1, phase: 'collecting', lastActivityAt: at.toISOString() });
    expect(again?.updatedAt).toEqual(at);
    expect(await test.database.transaction((tx) => lockConversation(tx, randomUUID()))).toBeNull();
  });

  it('rolls the state back with the transaction', async () => {
    const id = await conversation();
    await expect(
      test.database.transaction(async (tx) => {
        await saveConversationState(tx, id, { phase: 'confirming' }, new Date());
        throw new Error('turn failed');
      }),
    ).rejects.toThrow('turn failed');
    expect((await test.database.transaction((tx) => lockConversation(tx, id)))?.state).toEqual({});
  });

  it('lists the conversations still mid-dialog, page by page', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => conversation()));
    const phases = ['collecting', 'confirming', 'registered', 'collecting', 'handed_off'];
    for (const [index, id] of ids.entries()) {
      await test.database.transaction((tx) => saveConversationState(tx, id, { phase: phases[index], lastActivityAt: `2026-11-30T0${String(index)}:00:00.000Z` }, new Date()));
    }
    const seen: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await listConversationsInDialog(test.database, { phases: ['collecting', 'confirming'], limit: 2, ...(afterId ? { afterId } : {}) });
      seen.push(...page.map((row) => row.id));
      if (page.length < 2) break;
      afterId = page.at(-1)?.id;
    }
    const expected = ids.filter((_, index) => ['collecting', 'confirming'].includes(phases[index] ?? ''));
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...expected].sort());
  });
});
