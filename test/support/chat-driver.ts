/**
 * A customer in a chat, for conversation tests of any chat channel: `say` sends a message through the channel's
 * real HTTP endpoint, `turn` sends one and returns the bot's replies to it once Ombuds has settled (the message
 * processed and every outbound message to this customer delivered or failed). Each channel's test supplies how to
 * send and how to read what the vendor fake received.
 */
import type { Harness } from './ombuds-harness.js';

export interface BotReply {
  text: string;
  /** Quick replies offered with the message (inline keyboard, suggested actions). */
  quickReplies: { label: string; value: string }[];
}

export interface ChatChannel {
  /** Sends one customer message (a new vendor message id each call). */
  send(text: string): Promise<void>;
  /** Taps a quick reply (a callback query, a suggested action). */
  press(value: string): Promise<void>;
  /** Every message the bot delivered to this customer so far, in order. */
  replies(): BotReply[];
}

export interface ChatCustomer {
  /** Sends `text` and returns the replies it caused. */
  turn(text: string): Promise<BotReply[]>;
  /** Presses a quick reply and returns the replies it caused. */
  pressTurn(value: string): Promise<BotReply[]>;
  /** Every reply so far. */
  all(): BotReply[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until no inbound message is pending and no outbound message is waiting for delivery. */
export async function settle(harness: Harness): Promise<void> {
  await harness.waitForIdle();
  await until('outbound messages delivered', async () => {
    const busy = await harness.ombuds.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE (direction = 'outbound' AND status IN ('queued', 'retrying')) OR (direction = 'inbound' AND status = 'pending')`,
    );
    return busy.rows[0]?.n === 0 ? true : undefined;
  });
}

export function chatCustomer(harness: () => Harness, channel: ChatChannel): ChatCustomer {
  let seen = 0;
  const after = async (action: () => Promise<void>): Promise<BotReply[]> => {
    await action();
    await settle(harness());
    const all = channel.replies();
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  };
  return {
    turn: (text) => after(() => channel.send(text)),
    pressTurn: (value) => after(() => channel.press(value)),
    all: () => channel.replies(),
  };
}

/** The texts of replies, joined (for matching). */
export function textOf(replies: readonly BotReply[]): string {
  return replies.map((reply) => reply.text).join('\n');
}

/** The CMP reference a reply carries, if any. */
export function referenceIn(replies: readonly BotReply[]): string | undefined {
  return /CMP-\d{4}-\d{6,}/.exec(textOf(replies))?.[0];
}
