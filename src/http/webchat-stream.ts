/**
 * One browser's event stream (`GET /chat/events`, Server-Sent Events): the session's conversation from the
 * mailbox (src/store/webchat-mailbox.ts), then each new message as it is written, and "typing" hints.
 *
 * Delivery is at least once. Every `message` event carries its mailbox cursor as the SSE `id`; a browser that
 * reconnects sends the last one back (`Last-Event-ID`) and gets everything after it again, plus every reply it has
 * not acknowledged. Within one stream an id is sent once. The stream re-reads the mailbox when the broadcast says
 * the session has news (a worker delivered a reply, in this process or another) and on a slow poll, so a lost
 * signal only delays; it subscribes before its first read, so nothing falls between the two. A comment line every
 * `heartbeatMs` keeps proxies from closing an idle stream; at the token's expiry the stream says `expired` and ends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientMessageIdOf } from '../adapters/webchat/index.js';
import type { WebChatAuthor, WebChatMessageEvent } from '../contracts/webchat.js';
import type { BroadcastSubscription } from '../queue/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { formatMailboxCursor, type MailboxCursor, type MailboxEntry } from '../store/index.js';
import { openEventStream } from './event-stream.js';

export interface WebChatStreamConfig {
  sessionId: string;
  expiresAt: Date;
  /** Where the browser left off (Last-Event-ID); null = the whole conversation. */
  after: MailboxCursor | null;
  /** A page of the mailbox after a cursor (see listWebChatMailbox), at most `pageSize` entries. */
  read: (after: MailboxCursor | null, pageSize: number) => Promise<MailboxEntry[]>;
  /** Subscribes to the session's signals (`message`, `typing`). */
  subscribe: (listener: (signal: string) => void) => BroadcastSubscription;
  pollIntervalMs: number;
  heartbeatMs: number;
  typingTtlMs: number;
  pageSize?: number;
  /** How long to wait for the subscription before the first read; past it, polling covers the gap. */
  subscribeTimeoutMs?: number;
  clock: Clock;
  logger: Logger;
}

const DEFAULT_PAGE_SIZE = 200;
/** The browser's reconnection delay after a dropped stream (the SSE `retry` field). */
const RETRY_MS = 2_000;

export function authorOf(entry: MailboxEntry): WebChatAuthor {
  if (entry.direction === 'inbound') return 'customer';
  return entry.sentBy?.startsWith('staff:') ? 'staff' : 'bot';
}

/** The `message` event of a mailbox entry. */
export function messageEventOf(sessionId: string, entry: MailboxEntry): WebChatMessageEvent {
  const clientMessageId = entry.direction === 'inbound' ? clientMessageIdOf(sessionId, entry.channelMessageId) : undefined;
  return {
    id: entry.id,
    author: authorOf(entry),
    text: entry.text,
    quickReplies: entry.direction === 'outbound' ? entry.quickReplies : [],
    sentAt: entry.at.toISOString(),
    ...(clientMessageId === undefined ? {} : { clientMessageId }),
  };
}

function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Streams until the browser goes away, the token expires or the server closes the connection. */
export async function runWebChatStream(request: IncomingMessage, response: ServerResponse, config: WebChatStreamConfig): Promise<void> {
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;
  const sent = new Set<string>();
  let cursor = config.after;
  let subscription: BroadcastSubscription | null = null;
  const stream = openEventStream(request, response, { retryMs: RETRY_MS, onClose: () => subscription?.close() });
  const { write, isClosed } = stream;
  let reading = false;
  /** Set when a signal came in while reading: read once more. */
  let again = false;
  const readAgain = (): boolean => again;
  /** While the database is away, one warning per stream, not one per poll. */
  let failing = false;

  /** Reads every page after the cursor and sends what this stream has not sent yet; one reader at a time. */
  const pump = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          const page = await config.read(cursor, pageSize);
          let advanced = false;
          for (const entry of page) {
            if (isClosed()) return;
            if (cursor === null || compareCursors(entry.cursor, cursor) > 0) {
              cursor = entry.cursor;
              advanced = true;
            }
            if (sent.has(entry.id)) continue;
            sent.add(entry.id);
            write(sseEvent('message', messageEventOf(config.sessionId, entry), formatMailboxCursor(entry.cursor)));
          }
          if (page.length < pageSize || !advanced) break;
        }
      } while (readAgain() && !isClosed());
      failing = false;
    } catch (error) {
      // The database is away: the next signal or poll tries again; the browser keeps its stream.
      if (!failing) config.logger.warn({ err: error, channel: 'webchat' }, 'web chat stream could not read the mailbox; retrying');
      failing = true;
    } finally {
      reading = false;
    }
  };
  const pumpSoon = (): void => {
    void pump();
  };

  const listening = config.subscribe((signal) => {
    // Typing follows a customer message just stored: read it too, so other tabs of the session show it at once.
    if (signal === 'typing') write(sseEvent('typing', { ttlMs: config.typingTtlMs }));
    pumpSoon();
  });
  subscription = listening;
  if (isClosed()) listening.close();
  stream.after(config.expiresAt.getTime() - config.clock.now().getTime(), () => {
    write(sseEvent('expired', {}));
    stream.end();
  });

  let waitTimer: NodeJS.Timeout | undefined;
  await Promise.race([
    listening.ready,
    new Promise<void>((resolve) => {
      waitTimer = setTimeout(resolve, config.subscribeTimeoutMs ?? 1_000);
    }),
  ]);
  clearTimeout(waitTimer);
  if (isClosed()) return;
  await pump();
  if (isClosed()) return;
  stream.every(config.pollIntervalMs, pumpSoon);
  stream.every(config.heartbeatMs, () => {
    write(': keep-alive\n\n');
  });
  await stream.finished;
}

/** Orders cursors as the mailbox does: by time, then id. */
export function compareCursors(left: MailboxCursor, right: MailboxCursor): number {
  const byTime = BigInt(left.micros) - BigInt(right.micros);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}
