/**
 * A local fake of the OpenAI Chat Completions API (`POST /v1/chat/completions`) for tests: real response and error
 * shapes, bearer-key checks, and a script of replies — an answer, 429 with retry-after, 500, a hang, a refusal,
 * invalid JSON, JSON that breaks the schema, or a `length` cut-off. It records every request it receives and counts
 * the requests in flight, so tests can check what was sent, how often, and how many at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type FakeReply =
  | { type: 'answer'; body: unknown }
  | { type: 'rate_limited'; retryAfterSeconds?: number }
  | { type: 'server_error'; status?: number }
  | { type: 'hang' }
  | { type: 'refusal'; refusal?: string }
  | { type: 'invalid_json' }
  | { type: 'schema_mismatch'; body?: unknown }
  | { type: 'length' };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[]; response_format?: unknown } & Record<string, unknown>;
}

export interface FakeOpenAi {
  /** Base URL to give the SDK (ends in /v1). */
  baseURL: string;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Queues replies for the next requests, in order. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply when the queue is empty. */
  setFallback(reply: FakeReply): void;
  /** While held, requests wait (counted in flight) until {@link releaseHeld}. */
  hold(): void;
  releaseHeld(): void;
  /** Everything the client sent as message content, joined. */
  sentText(): string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function apiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

let completionCounter = 0;

function completion(model: string, content: string | null, options: { refusal?: string; finishReason?: string } = {}) {
  completionCounter += 1;
  return {
    id: `chatcmpl-fake${completionCounter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: options.refusal ?? null, annotations: [] },
        logprobs: null,
        finish_reason: options.finishReason ?? 'stop',
      },
    ],
    usage: {
      prompt_tokens: 250,
      completion_tokens: 80,
      total_tokens: 330,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAi(options: { apiKey?: string } = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  let fallback: FakeReply = { type: 'server_error' };
  let inFlight = 0;
  let maxInFlight = 0;
  let held = false;
  let waiting: (() => void)[] = [];

  const reply = (response: ServerResponse, model: string, next: FakeReply): void => {
    switch (next.type) {
      case 'answer':
        send(response, 200, completion(model, JSON.stringify(next.body)));
        return;
      case 'rate_limited':
        send(response, 429, apiError('Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'), {
          'retry-after': String(next.retryAfterSeconds ?? 0),
        });
        return;
      case 'server_error':
        send(response, next.status ?? 500, apiError('The server had an error while processing your request.', 'server_error', null));
        return;
      case 'hang':
        return;
      case 'refusal':
        send(response, 200, completion(model, null, { refusal: next.refusal ?? "I'm sorry, I can't help with that." }));
        return;
      case 'invalid_json':
        send(response, 200, completion(model, '{"kind": {"value": "complaint" oops'));
        return;
      case 'schema_mismatch':
        send(response, 200, completion(model, JSON.stringify(next.body ?? { kind: 'complaint', product: 'spaceships' })));
        return;
      case 'length':
        send(response, 200, completion(model, '{"kind":{"value":"complaint","confidence":0.9,"reas', { finishReason: 'length' }));
        return;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    let body: RecordedRequest['body'];
    try {
      body = JSON.parse(text) as RecordedRequest['body'];
    } catch {
      send(response, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      return;
    }
    requests.push({ method: request.method ?? '', path: request.url ?? '', authorization: request.headers.authorization, body });
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      send(response, 404, apiError(`Invalid URL (${request.method ?? ''} ${request.url ?? ''})`, 'invalid_request_error', null));
      return;
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(response, 401, apiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      return;
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => {
      inFlight -= 1;
    });
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    reply(response, typeof body.model === 'string' ? body.model : 'unknown', queue.shift() ?? fallback);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, apiError('fake failure', 'server_error', null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...replies) => queue.push(...replies),
    setFallback: (reply) => {
      fallback = reply;
    },
    hold: () => {
      held = true;
    },
    releaseHeld: () => {
      held = false;
      const release = waiting;
      waiting = [];
      for (const resolve of release) resolve();
    },
    sentText: () =>
      requests.flatMap((recorded) => (recorded.body.messages ?? []).map((message) => message.content)).join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of waiting) release();
        waiting = [];
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A valid answer in the schema of src/classifier/llm/llm-schema.ts, for tests to adjust. */
export function exampleClassificationAnswer() {
  return {
    kind: { value: 'complaint', confidence: 0.92, reason: 'the customer is unhappy about a charge' },
    product: { value: 'cards', confidence: 0.88, reason: 'mentions a credit card' },
    issue: { value: 'unauthorized_fraud', confidence: 0.85, reason: 'a payment they did not make' },
    sentiment: { value: 'negative', confidence: 0.9, reason: 'angry tone' },
    urgency: { value: 'high', confidence: 0.8, reason: 'fraud that already happened' },
    flags: [{ flag: 'fraud', reason: "'I never made this payment'" }],
  };
}
