/**
 * The broadcast port on both kinds: in-process, and Redis pub/sub between two instances (two processes' worth of
 * connections) on the shared test Redis, each test run under its own prefix.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/support/ombuds-harness.js';
import { freePort } from '../../test/support/private-redis.js';
import { createInProcessBroadcast, createRedisBroadcast, type Broadcast } from './broadcast.js';

/** Collects what a listener hears and lets a test wait for the n-th message. */
function recorder(): { listener: (message: string) => void; heard: string[]; waitFor(count: number): Promise<string[]> } {
  const heard: string[] = [];
  const waiting: { count: number; resolve: (value: string[]) => void }[] = [];
  return {
    heard,
    listener(message) {
      heard.push(message);
      for (const wait of waiting.filter((entry) => heard.length >= entry.count)) wait.resolve([...heard]);
    },
    waitFor(count) {
      if (heard.length >= count) return Promise.resolve([...heard]);
      return new Promise((resolve) => waiting.push({ count, resolve }));
    },
  };
}

const opened: Broadcast[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((broadcast) => broadcast.close()));
});

function track<T extends Broadcast>(broadcast: T): T {
  opened.push(broadcast);
  return broadcast;
}

type Pair = () => { publisher: Broadcast; listener: Broadcast };

const kinds: [string, Pair][] = [
  [
    'in-process',
    () => {
      const broadcast = track(createInProcessBroadcast());
      return { publisher: broadcast, listener: broadcast };
    },
  ],
  [
    'redis',
    () => {
      const prefix = `test-${randomUUID()}`;
      return {
        publisher: track(createRedisBroadcast({ redisUrl: TEST_REDIS_URL, prefix })),
        listener: track(createRedisBroadcast({ redisUrl: TEST_REDIS_URL, prefix })),
      };
    },
  ],
];

describe.each(kinds)('broadcast (%s)', (_kind, pair) => {
  it('delivers a message to every listener of its topic and to no other topic, in publish order', async () => {
    const { publisher, listener } = pair();
    const first = recorder();
    const second = recorder();
    const other = recorder();
    const subscriptions = [listener.subscribe('webchat:a', first.listener), listener.subscribe('webchat:a', second.listener), listener.subscribe('webchat:b', other.listener)];
    await Promise.all(subscriptions.map((subscription) => subscription.ready));
    await publisher.publish('webchat:a', 'one');
    await publisher.publish('webchat:a', 'two');
    await publisher.publish('webchat:b', 'three');
    expect(await first.waitFor(2)).toEqual(['one', 'two']);
    expect(await second.waitFor(2)).toEqual(['one', 'two']);
    // Published after the two on topic a: had topic b's listener heard those, they would be here first.
    expect(await other.waitFor(1)).toEqual(['three']);
  });

  it('stops a closed subscription while the topic’s other listeners still hear it', async () => {
    const { publisher, listener } = pair();
    const closed = recorder();
    const open = recorder();
    const closing = listener.subscribe('webchat:c', closed.listener);
    const staying = listener.subscribe('webchat:c', open.listener);
    await Promise.all([closing.ready, staying.ready]);
    closing.close();
    closing.close();
    await publisher.publish('webchat:c', 'after close');
    expect(await open.waitFor(1)).toEqual(['after close']);
    expect(closed.heard).toEqual([]);
  });

  it('refuses topics with spaces or glob characters', async () => {
    const { publisher } = pair();
    expect(() => publisher.subscribe('webchat:*', () => undefined)).toThrow(TypeError);
    await expect(Promise.resolve().then(() => publisher.publish('a b', 'x'))).rejects.toThrow(TypeError);
  });
});

describe('broadcast (in-process) specifics', () => {
  it('never calls a listener inside the publisher’s own call', async () => {
    const broadcast = track(createInProcessBroadcast());
    const heard = recorder();
    broadcast.subscribe('t', heard.listener);
    const publishing = broadcast.publish('t', 'later');
    expect(heard.heard).toEqual([]);
    await publishing;
    expect(await heard.waitFor(1)).toEqual(['later']);
  });
});

describe('broadcast (redis) specifics', () => {
  it('keeps instances with different prefixes apart', async () => {
    const shared = `test-${randomUUID()}`;
    const publisher = track(createRedisBroadcast({ redisUrl: TEST_REDIS_URL, prefix: shared }));
    const stranger = track(createRedisBroadcast({ redisUrl: TEST_REDIS_URL, prefix: `test-${randomUUID()}` }));
    const friend = track(createRedisBroadcast({ redisUrl: TEST_REDIS_URL, prefix: shared }));
    const strangerHeard = recorder();
    const friendHeard = recorder();
    await stranger.subscribe('topic', strangerHeard.listener).ready;
    await friend.subscribe('topic', friendHeard.listener).ready;
    await publisher.publish('topic', 'for friends');
    await stranger.publish('topic', 'marker');
    expect(await friendHeard.waitFor(1)).toEqual(['for friends']);
    expect(await strangerHeard.waitFor(1)).toEqual(['marker']);
  });

  it('rejects a publish with QueueUnavailable when Redis does not answer in time, and refuses after close', async () => {
    const port = await freePort();
    const unreachable = track(createRedisBroadcast({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'nowhere', publishTimeoutMs: 200 }));
    await expect(unreachable.publish('topic', 'lost')).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    await unreachable.close();
    await expect(unreachable.publish('topic', 'closed')).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
  });
});
