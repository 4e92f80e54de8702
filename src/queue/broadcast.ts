/**
 * A small broadcast port: "something happened on topic X" from one process to every process listening on X. Web
 * chat uses it so the worker that delivers a reply (or the HTTP process that accepted a message) can wake the HTTP
 * process holding the customer's event stream. Redis pub/sub when REDIS_URL is set (`ombuds serve` + `ombuds work`),
 * an in-process EventEmitter otherwise (the embedded single process).
 *
 * Signals are hints, not data: pub/sub delivers at most once, and nothing is kept for a listener that is not
 * connected at that moment (a Redis reconnect loses what was published meanwhile). Listeners must read the truth
 * from the database and also poll it on a slow interval, so a lost signal only delays.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { QueueUnavailable } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { closeRedisConnection, openRedisConnection } from './redis-connection.js';
import { withTimeout } from './with-timeout.js';

export type BroadcastListener = (message: string) => void;

export interface BroadcastSubscription {
  /** Resolves once messages published from now on will reach the listener (Redis has confirmed SUBSCRIBE). */
  readonly ready: Promise<void>;
  /** Stops the listener (idempotent). */
  close(): void;
}

export interface Broadcast {
  readonly kind: 'redis' | 'in-process';
  /** Sends `message` to every current listener of `topic`, in any process. Rejects (QueueUnavailable) when Redis does not take it in time. */
  publish(topic: string, message: string): Promise<void>;
  /** Calls `listener` for each message on `topic` until the subscription is closed. */
  subscribe(topic: string, listener: BroadcastListener): BroadcastSubscription;
  /** Drops every subscription and closes the connections. */
  close(): Promise<void>;
}

/** Topics are short identifiers (`webchat:<session id>`): no spaces or glob characters. */
const TOPIC = /^[A-Za-z0-9:._-]{1,200}$/;

function checkTopic(topic: string): void {
  if (!TOPIC.test(topic)) throw new TypeError(`broadcast topic "${topic.slice(0, 64)}" is not 1-200 of A-Z a-z 0-9 : . _ -`);
}

/** Listeners by topic; the same bookkeeping for both kinds. */
class Listeners {
  private readonly byTopic = new Map<string, Set<BroadcastListener>>();

  /** Adds; true when it is the topic's first listener. */
  add(topic: string, listener: BroadcastListener): boolean {
    let set = this.byTopic.get(topic);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.byTopic.set(topic, set);
    }
    set.add(listener);
    return first;
  }

  /** Removes; true when the topic has no listener left. */
  remove(topic: string, listener: BroadcastListener): boolean {
    const set = this.byTopic.get(topic);
    if (!set?.delete(listener)) return false;
    if (set.size > 0) return false;
    this.byTopic.delete(topic);
    return true;
  }

  emit(topic: string, message: string, onError: (error: unknown) => void): void {
    for (const listener of [...(this.byTopic.get(topic) ?? [])]) {
      try {
        listener(message);
      } catch (error) {
        onError(error);
      }
    }
  }

  clear(): void {
    this.byTopic.clear();
  }
}

/** One process: publish calls the listeners on the next tick (never inside the publisher's own call stack). */
export function createInProcessBroadcast(options: { logger?: Logger } = {}): Broadcast {
  const emitter = new EventEmitter();
  const listeners = new Listeners();
  const onError = (error: unknown) => options.logger?.warn({ err: error }, 'broadcast listener failed');
  emitter.on('message', (topic: string, message: string) => {
    listeners.emit(topic, message, onError);
  });
  return {
    kind: 'in-process',
    publish(topic, message) {
      checkTopic(topic);
      setImmediate(() => emitter.emit('message', topic, message));
      return Promise.resolve();
    },
    subscribe(topic, listener) {
      checkTopic(topic);
      listeners.add(topic, listener);
      return {
        ready: Promise.resolve(),
        close: () => {
          listeners.remove(topic, listener);
        },
      };
    },
    close() {
      listeners.clear();
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

export interface RedisBroadcastConfig {
  redisUrl: string;
  /** Namespaces the pub/sub channels (`<prefix>:broadcast:<topic>`), as QUEUE_PREFIX namespaces the queues. */
  prefix: string;
  /** How long publish waits for Redis before rejecting. Default 2000 ms. */
  publishTimeoutMs?: number;
  logger?: Logger;
}

/**
 * Redis pub/sub. Two connections, each opened on first use: one publishes, one is in subscriber mode (ioredis
 * re-subscribes it after a reconnect). One Redis channel per topic, subscribed while the topic has a listener here.
 */
export function createRedisBroadcast(config: RedisBroadcastConfig): Broadcast {
  const channelPrefix = `${config.prefix}:broadcast:`;
  const timeoutMs = config.publishTimeoutMs ?? 2_000;
  const listeners = new Listeners();
  const onError = (error: unknown) => config.logger?.warn({ err: error }, 'broadcast listener failed');
  /** Per subscribed topic: resolves when Redis confirmed the SUBSCRIBE (never rejects). */
  const subscribed = new Map<string, Promise<void>>();
  let publisher: Redis | null = null;
  let subscriber: Redis | null = null;
  let closed = false;

  const subscriberConnection = (): Redis => {
    if (subscriber) return subscriber;
    const connection = openRedisConnection(config.redisUrl, config.prefix, 'broadcast-subscriber', config.logger);
    connection.on('message', (channel: string, message: string) => {
      if (channel.startsWith(channelPrefix)) listeners.emit(channel.slice(channelPrefix.length), message, onError);
    });
    subscriber = connection;
    return connection;
  };
  const report = (what: string) => (error: unknown) => {
    config.logger?.warn({ err: error }, `broadcast ${what} failed`);
  };

  return {
    kind: 'redis',
    async publish(topic, message) {
      checkTopic(topic);
      if (closed) throw new QueueUnavailable(new Error('broadcast closed'));
      publisher ??= openRedisConnection(config.redisUrl, config.prefix, 'broadcast-publisher', config.logger);
      await withTimeout(publisher.publish(`${channelPrefix}${topic}`, message), timeoutMs, () => new QueueUnavailable(new Error(`Redis PUBLISH took over ${timeoutMs} ms`)));
    },
    subscribe(topic, listener) {
      checkTopic(topic);
      if (closed) return { ready: Promise.resolve(), close: () => undefined };
      if (listeners.add(topic, listener)) {
        subscribed.set(topic, subscriberConnection().subscribe(`${channelPrefix}${topic}`).then(() => undefined, report('subscribe')));
      }
      let open = true;
      return {
        ready: subscribed.get(topic) ?? Promise.resolve(),
        close: () => {
          if (!open) return;
          open = false;
          if (!listeners.remove(topic, listener)) return;
          subscribed.delete(topic);
          if (subscriber && !closed) subscriber.unsubscribe(`${channelPrefix}${topic}`).catch(report('unsubscribe'));
        },
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      subscribed.clear();
      const connections = [publisher, subscriber].filter((connection): connection is Redis => connection !== null);
      publisher = null;
      subscriber = null;
      await Promise.all(connections.map((connection) => closeRedisConnection(connection, 1_000)));
    },
  };
}
