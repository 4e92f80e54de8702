/**
 * The plumbing every Server-Sent Events stream of Ombuds shares (web chat's `GET /chat/events`, the console's
 * `GET /v1/staff/events`): the response headers (no caching, no proxy buffering), the reconnection delay, writes
 * that stop once the connection is gone, timers cleared when it goes, and one promise that settles when the stream
 * is over — the client left, the connection failed, or the server ended it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EventStream {
  /** Writes a chunk unless the stream is over. */
  readonly write: (chunk: string) => void;
  /** True once the stream is over (a function: callers await, and the client may leave meanwhile). */
  readonly isClosed: () => boolean;
  /** Runs `callback` every `ms` until the stream is over. */
  every(ms: number, callback: () => void): void;
  /** Runs `callback` once after `ms`, unless the stream is over by then. */
  after(ms: number, callback: () => void): void;
  /** Ends the response and the stream. */
  end(): void;
  /** Settles when the stream is over. */
  readonly finished: Promise<void>;
}

/** Timers past this overflow (they would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Answers 200 `text/event-stream` with the SSE `retry` field; `onClose` runs once when the stream is over. */
export function openEventStream(request: IncomingMessage, response: ServerResponse, options: { retryMs: number; onClose?: () => void }): EventStream {
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    options.onClose?.();
    settle();
  };
  request.on('close', close);
  response.on('close', close);
  response.on('error', close);

  const write = (chunk: string): void => {
    if (!closed) response.write(chunk);
  };
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    // nginx and similar proxies otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  write(`retry: ${String(options.retryMs)}\n\n`);

  return {
    write,
    isClosed: () => closed,
    every(ms, callback) {
      if (!closed) timers.push(setInterval(callback, Math.min(ms, MAX_TIMER_MS)));
    },
    after(ms, callback) {
      if (!closed) timers.push(setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS)));
    },
    end() {
      response.end();
      close();
    },
    finished,
  };
}
