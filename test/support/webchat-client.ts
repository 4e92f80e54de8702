/**
 * A web chat client for tests, over real HTTP (Node's fetch): start a session, POST frames, and read the event
 * stream (`GET /chat/events`) as the page does — Server-Sent Events parsed from the streamed body, with waiting
 * for the event a test expects.
 */

export interface StartedSession {
  sessionId: string;
  token: string;
  expiresAt: string;
}

export interface StreamEvent {
  event: string;
  /** The SSE `id` (the mailbox cursor of a `message`); undefined for typing and other hints. */
  id?: string;
  data: Record<string, unknown>;
}

export interface EventStream {
  status: number;
  /** Every event so far, in order. */
  events: StreamEvent[];
  /** The first event (from `fromIndex`) that matches, waiting for it if need be. */
  waitFor(what: string, match: (event: StreamEvent) => boolean, options?: { fromIndex?: number; timeoutMs?: number }): Promise<StreamEvent>;
  /** `message` events so far. */
  messages(): StreamEvent[];
  close(): void;
  /** Resolves when the server ended the stream (or it was closed). */
  ended: Promise<void>;
}

export async function startSession(baseUrl: string): Promise<StartedSession> {
  const response = await fetch(`${baseUrl}/chat/session`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`POST /chat/session answered ${String(response.status)}`);
  return (await response.json()) as StartedSession;
}

export async function postFrame(
  baseUrl: string,
  path: '/chat/messages' | '/chat/receipts',
  token: string | null,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Sends a customer message; throws unless it is stored (202) or a duplicate (200). */
export async function say(baseUrl: string, session: StartedSession, clientMessageId: string, text: string, locale = 'en'): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await postFrame(baseUrl, '/chat/messages', session.token, { clientMessageId, text, locale });
  if (answer.status !== 202 && answer.status !== 200) throw new Error(`POST /chat/messages answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`);
  return answer;
}

function parseBlock(block: string): StreamEvent | null {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  return { event, ...(id === undefined ? {} : { id }), data: JSON.parse(data.join('\n')) as Record<string, unknown> };
}

export async function openEventStream(
  baseUrl: string,
  token: string | null,
  options: { lastEventId?: string; queryToken?: string } = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const query = options.queryToken === undefined ? '' : `?token=${encodeURIComponent(options.queryToken)}`;
  const response = await fetch(`${baseUrl}/chat/events${query}`, {
    headers: {
      Accept: 'text/event-stream',
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(options.lastEventId === undefined ? {} : { 'Last-Event-ID': options.lastEventId }),
    },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let finished = false;
  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const parsed = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed) events.push(parsed);
          end = buffer.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // Aborted by close().
    } finally {
      finished = true;
      notify();
    }
  })();

  return {
    status: response.status,
    events,
    messages: () => events.filter((event) => event.event === 'message'),
    waitFor(what, match, waitOptions = {}) {
      const fromIndex = waitOptions.fromIndex ?? 0;
      const timeoutMs = waitOptions.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(fromIndex).find(match);
          if (found) {
            cleanup();
            resolve(found);
          } else if (finished) {
            cleanup();
            reject(new Error(`the stream ended before ${what}; events: ${JSON.stringify(events.map((event) => [event.event, event.data.text ?? '']))}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events.map((event) => [event.event, event.data.text ?? '']))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      controller.abort();
    },
    ended,
  };
}
