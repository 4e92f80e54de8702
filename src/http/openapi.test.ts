/**
 * The OpenAPI document: well formed (every reference resolves, path parameters declared, operation ids unique, every
 * answer described); every route app.ts mounts is described and nothing that is not mounted; the response schemas
 * are the shapes the route files build (at compile time); and on both configurations the real answers of the routes
 * — and the signed POSTs Ombuds sends — match what the document says, status by status.
 */
import { Router, type Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ApiCallbackMessage as SentCallbackMessage } from '../adapters/api/index.js';
import {
  ComplaintAction,
  ComplaintEventType,
  ReportGroupBy,
  type ApiCallbackMessage,
  type NotificationFeed,
  type SummaryReportView,
  type WebhookSubscriptionCreated,
  type WebhookSubscriptionView,
} from '../contracts/index.js';
import type { SummaryReport } from '../handling/index.js';
import { systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { verifyBodySignature } from '../shared/signing.js';
import { reply, startFakeReceiver, type FakeReceiver, type ReceivedRequest } from '../../test/support/fake-receiver.js';
import { readJsonFixture } from '../../test/support/fixtures.js';
import { CONFIGURATIONS, startHarness, type Harness } from '../../test/support/ombuds-harness.js';
import { createHttpApp } from './app.js';
import type { Metrics } from './metrics.js';
import type { NotificationFeed as BuiltNotificationFeed } from './notification-routes.js';
import { buildOpenApiDocument, openApiSchemas } from './openapi.js';
import type { WebhookSubscriptionCreated as BuiltSubscriptionCreated, WebhookSubscriptionView as BuiltSubscriptionView } from './webhook-routes.js';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}

interface Operation {
  operationId?: string;
  security?: Record<string, unknown[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Json }> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Routes of the reference page that are its own assets, not API (served by docs-routes.ts beside `/v1/docs`). */
const NOT_API = new Set(['GET /v1/docs/init.js']);

function operationsOf(pathItems: Record<string, Json>): { where: string; path: string; method: string; operation: Operation }[] {
  return Object.entries(pathItems).flatMap(([path, item]) =>
    METHODS.filter((method) => method in item).map((method) => ({ where: `${method.toUpperCase()} ${path}`, path, method, operation: item[method] as Operation })),
  );
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const entry of value) refsIn(entry, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '$ref' && typeof entry === 'string') found.push(entry);
      else refsIn(entry, found);
    }
  }
  return found;
}

/** What is wrong with an OpenAPI 3.1 document, as far as Ombuds' documents go; empty when nothing. */
function documentProblems(document: Json): string[] {
  const problems: string[] = [];
  if (document.openapi !== '3.1.0') problems.push('openapi is not 3.1.0');
  const info = document.info as { title?: unknown; version?: unknown } | undefined;
  if (typeof info?.title !== 'string' || typeof info.version !== 'string') problems.push('info needs a title and a version');
  const components = (document.components ?? {}) as { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> };
  const schemas = components.schemas ?? {};
  const securitySchemes = components.securitySchemes ?? {};
  for (const target of refsIn(document)) {
    const name = /^#\/components\/schemas\/([A-Za-z0-9._-]+)$/.exec(target)?.[1];
    if (name === undefined || !(name in schemas)) problems.push(`unresolved $ref ${target}`);
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) problems.push(`component name ${name} is not allowed`);
    if ('$schema' in schema || '$id' in schema) problems.push(`component ${name} keeps $schema/$id`);
  }
  const operationIds = new Set<string>();
  const operations = [
    ...operationsOf((document.paths ?? {}) as Record<string, Json>),
    ...operationsOf((document.webhooks ?? {}) as Record<string, Json>).map((entry) => ({ ...entry, path: '' })),
  ];
  for (const { where, path, operation } of operations) {
    if (operation.operationId !== undefined) {
      if (operationIds.has(operation.operationId)) problems.push(`${where}: duplicate operationId ${operation.operationId}`);
      operationIds.add(operation.operationId);
    }
    for (const requirement of operation.security ?? []) {
      for (const scheme of Object.keys(requirement)) if (!(scheme in securitySchemes)) problems.push(`${where}: unknown security scheme ${scheme}`);
    }
    const parameters = operation.parameters ?? [];
    const seen = new Set<string>();
    for (const parameter of parameters) {
      const key = `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
      if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
      seen.add(key);
      if (!['query', 'header', 'path', 'cookie'].includes(parameter.in)) problems.push(`${where}: parameter ${parameter.name} in "${parameter.in}"`);
      if (parameter.schema === undefined) problems.push(`${where}: parameter ${parameter.name} has no schema`);
      if (parameter.in === 'path' && parameter.required !== true) problems.push(`${where}: path parameter ${parameter.name} must be required`);
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '').sort();
    const declared = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
    if (JSON.stringify(templated) !== JSON.stringify(declared)) problems.push(`${where}: path parameters ${declared.join(',')} ≠ template ${templated.join(',')}`);
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      if (media.schema === undefined) problems.push(`${where}: request body ${type} has no schema`);
    }
    const responses = Object.entries(operation.responses ?? {});
    if (responses.length === 0) problems.push(`${where}: no responses`);
    for (const [status, response] of responses) {
      if (!/^([1-5]XX|[1-5]\d\d|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
      if (typeof response.description !== 'string' || response.description === '') problems.push(`${where}: response ${status} has no description`);
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (media.schema === undefined) problems.push(`${where}: response ${status} ${type} has no schema`);
      }
    }
  }
  return problems;
}

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` an express app answers with a route (middleware-only mounts such as static files aside). */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const join = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix}${path}`);
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]) : [layer.route.path];
        for (const path of paths) {
          for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${join(prefix, String(path))}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? `${prefix}${layer.rawPath}` : prefix);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

/** `GET /v1/complaints/:id` → `GET /v1/complaints/{id}`. */
const asDocumented = (route: string) => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function documentedRoutes(document: Json): string[] {
  return operationsOf(document.paths as Record<string, Json>)
    .map((entry) => entry.where)
    .sort();
}

function routeGaps(app: Express, document: Json): { undocumented: string[]; notMounted: string[] } {
  const mounted = mountedRoutes(app).map(asDocumented).filter((route) => !NOT_API.has(route));
  const documented = documentedRoutes(document);
  return { undocumented: mounted.filter((route) => !documented.includes(route)), notMounted: documented.filter((route) => !mounted.includes(route)) };
}

/** Something createHttpApp only closes over: listing its routes must not use it. */
function unused(what: string): never {
  return new Proxy({}, {
    get(_target, property) {
      throw new Error(`${what}.${String(property)} used while building the routes`);
    },
  }) as never;
}

/** The whole app as main.ts builds it (metrics and the BullMQ board included), on dependencies it must not touch yet. */
function appForListing(): Express {
  const board = Router();
  board.get('/', (_request, response) => {
    response.end();
  });
  return createHttpApp({
    database: unused('database'),
    queue: unused('queue'),
    intake: unused('intake'),
    assignment: unused('assignment'),
    workflow: unused('workflow'),
    authenticator: unused('authenticator'),
    timeZone: 'Asia/Shanghai',
    metrics: { registry: { contentType: 'text/plain', metrics: () => Promise.resolve('') } } as unknown as Metrics,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    bodyLimitBytes: 1024,
    version: '0.0.0-test',
    queueBoard: board,
    transcripts: { importTranscript: unused('importTranscript'), bodyLimitBytes: 1024 },
    assistedIntake: { assistedIntake: unused('assistedIntake'), bodyLimitBytes: 1024 },
  });
}

const document = buildOpenApiDocument({ version: '9.9.9', serverUrl: 'https://ombuds.example' });
const paths = document.paths as Record<string, Record<string, Operation>>;
const schemas = (document.components as { schemas: Record<string, Json> }).schemas;

const operation = (path: string, method: string): Operation => {
  const found = paths[path]?.[method];
  if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return found;
};

describe('the OpenAPI document', () => {
  it('is a well-formed OpenAPI 3.1 document, and plain JSON', () => {
    expect(documentProblems(document)).toEqual([]);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(document.servers).toEqual([{ url: 'https://ombuds.example' }]);
    expect(buildOpenApiDocument({ version: '1.0.0' })).not.toHaveProperty('servers');
  });

  it('the well-formedness check finds broken references, undeclared path parameters, duplicate ids and undescribed answers', () => {
    const broken = JSON.parse(JSON.stringify(document)) as { paths: Record<string, Record<string, Operation>> };
    const actions = broken.paths['/v1/complaints/{id}/actions']?.post;
    const webhooks = broken.paths['/v1/webhooks']?.get;
    if (!actions?.responses || !webhooks?.responses) throw new Error('documented operations missing');
    actions.parameters = actions.parameters?.filter((parameter) => parameter.in !== 'path') ?? [];
    actions.responses['200'] = { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } };
    webhooks.operationId = 'actOnComplaint';
    webhooks.security = [{ cookieKey: [] }];
    expect(documentProblems(broken as unknown as Json)).toEqual(
      expect.arrayContaining([
        'unresolved $ref #/components/schemas/Nope',
        'POST /v1/complaints/{id}/actions: path parameters  ≠ template id',
        'POST /v1/complaints/{id}/actions: response 200 has no description',
        'GET /v1/webhooks: duplicate operationId actOnComplaint',
        'GET /v1/webhooks: unknown security scheme cookieKey',
      ]),
    );
  });

  it('describes every route app.ts mounts, and none it does not', () => {
    const app = appForListing();
    const mounted = mountedRoutes(app);
    // The walk itself sees the routers' routes, nested and parameterised ones included.
    expect(mounted).toEqual(expect.arrayContaining(['POST /v1/messages', 'POST /v1/complaints/:id/actions', 'DELETE /v1/webhooks/:id', 'GET /metrics', 'GET /admin/queues']));
    expect(routeGaps(app, document)).toEqual({ undocumented: [], notMounted: [] });
  });

  it('notices a route without documentation, and documentation without a route', () => {
    const app = appForListing();
    app.patch('/v1/complaints/:id/tags', (_request, response) => {
      response.end();
    });
    const stale = JSON.parse(JSON.stringify(document)) as { paths: Record<string, unknown> };
    stale.paths['/v1/retired'] = { get: { responses: { '200': { description: 'gone' } } } };
    expect(routeGaps(app, stale as unknown as Json)).toEqual({ undocumented: ['PATCH /v1/complaints/{id}/tags'], notMounted: ['GET /v1/retired'] });
  });

  it('describes the action endpoint: every action as a variant of a discriminated union, Idempotency-Key, every refusal code', () => {
    const actions = operation('/v1/complaints/{id}/actions', 'post');
    expect(actions.security).toEqual([{ staffKey: [] }, { consoleSession: [] }]);
    expect(actions.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['path:id', 'header:Idempotency-Key']);
    expect(actions.requestBody?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ComplaintAction' });
    const union = schemas.ComplaintAction as { oneOf?: Json[]; anyOf?: Json[]; discriminator: { propertyName: string; mapping: Record<string, string> } };
    const types = ComplaintAction.options.map((option) => option.shape.type.value);
    expect(union.discriminator.propertyName).toBe('type');
    expect(Object.keys(union.discriminator.mapping)).toEqual(types);
    expect(union.oneOf ?? union.anyOf).toEqual(Object.values(union.discriminator.mapping).map((target) => ({ $ref: target })));
    const propose = schemas.ProposeResolutionAction as { properties: Record<string, Json>; required: string[]; additionalProperties: unknown };
    expect(propose.properties.type).toEqual({ type: 'string', const: 'propose_resolution' });
    expect(propose.required).toEqual(expect.arrayContaining(['type', 'summary', 'upheld']));
    expect(propose.additionalProperties).toBe(false);

    const responses = actions.responses ?? {};
    expect(responses['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ActionResult' });
    const codes: Record<string, string[]> = {
      '400': ['PAYLOAD_MALFORMED', 'PAYLOAD_INVALID'],
      '401': ['UNAUTHENTICATED'],
      '403': ['FORBIDDEN', 'FOUR_EYES_REQUIRED'],
      '404': ['NOT_FOUND'],
      '409': ['ILLEGAL_TRANSITION', 'COMPLAINT_CLOSED', 'EXTENSION_NOT_ALLOWED', 'PAUSE_NOT_ALLOWED', 'NOTHING_PAUSED', 'CLOCK_NOT_FOUND'],
      '422': ['IDEMPOTENCY_KEY_REUSED', 'ASSIGNEE_INVALID'],
    };
    for (const [status, expected] of Object.entries(codes)) {
      for (const code of expected) expect(responses[status]?.description, `${status} ${code}`).toContain(`\`${code}\``);
    }
  });

  it('shows where a complaint stands in its view, and describes the report’s query, JSON and CSV', () => {
    const view = schemas.ComplaintView as { properties: Record<string, Json>; required: string[] };
    expect(view.properties.state).toEqual({ anyOf: [{ $ref: '#/components/schemas/ActionResult' }, { type: 'null' }] });
    expect(view.required).toContain('state');

    const report = operation('/v1/reports/summary', 'get');
    const parameters = new Map((report.parameters ?? []).map((parameter) => [parameter.name, parameter]));
    expect([...parameters.keys()]).toEqual(['from', 'to', 'groupBy', 'format']);
    expect(parameters.get('from')?.required).toBe(true);
    expect(parameters.get('groupBy')?.required).toBe(false);
    expect(parameters.get('groupBy')?.schema).toMatchObject({ enum: ReportGroupBy.options });
    expect(Object.keys(report.responses?.['200']?.content ?? {})).toEqual(['application/json', 'text/csv']);

    const feed = operation('/v1/notifications', 'get');
    expect(feed.parameters?.map((parameter) => [parameter.name, parameter.required, parameter.schema?.default])).toEqual([
      ['after', false, 0],
      ['limit', false, 50],
    ]);
  });

  it('describes the signed POSTs Ombuds sends, in the webhooks section', () => {
    const webhooks = document.webhooks as Record<string, { post: Operation }>;
    expect(Object.keys(webhooks)).toEqual(['callbackMessage', 'complaintEvent']);
    const headers = (name: string) => webhooks[name]?.post.parameters?.filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
    expect(headers('callbackMessage')).toEqual(['Ombuds-Signature', 'Ombuds-Delivery', 'Ombuds-Attempt']);
    expect(headers('complaintEvent')).toEqual(['Ombuds-Signature', 'Ombuds-Delivery', 'Ombuds-Attempt', 'Ombuds-Event']);
    expect(webhooks.complaintEvent?.post.requestBody?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/WebhookEvent' });
    expect((schemas.WebhookEvent as { properties: Record<string, Json> }).properties.type).toMatchObject({ enum: ComplaintEventType.options });
  });

  it('has response schemas equal to the bodies the route files build', () => {
    expectTypeOf<NotificationFeed>().toEqualTypeOf<BuiltNotificationFeed>();
    expectTypeOf<ApiCallbackMessage>().toEqualTypeOf<SentCallbackMessage>();
    // SummaryReport is an intersection; compare its flattened form.
    expectTypeOf<SummaryReportView>().toEqualTypeOf<{ [K in keyof SummaryReport]: SummaryReport[K] }>();
    // The routes type `events` as strings; the document narrows them to the event types (checked on real answers below).
    expectTypeOf<Omit<WebhookSubscriptionCreated, 'events'>>().toEqualTypeOf<Omit<BuiltSubscriptionCreated, 'events'>>();
    expectTypeOf<Omit<WebhookSubscriptionView, 'events'>>().toEqualTypeOf<Omit<BuiltSubscriptionView, 'events'>>();
    expect(Object.keys(openApiSchemas).sort()).toEqual(Object.keys(schemas).sort());
  });
});

const complaintBody = readJsonFixture('api/api-1-zh-card-double-charge.json') as Json;

describe.each(CONFIGURATIONS)('real answers match the OpenAPI document (%s)', (configuration) => {
  let harness: Harness;
  let app: FakeReceiver;
  let helpdesk: FakeReceiver;
  let callbackSecret: string;
  let webhookSecret: string;
  let agent: { id: string; key: string };
  let supervisor: { id: string; key: string };
  let admin: { id: string; key: string };
  let reference = '';

  /** The answer is one the document lists for this operation, and its body matches the schema given for it. */
  const conforms = (path: string, method: string, response: request.Response) => {
    const documented = operation(path, method).responses?.[String(response.status)];
    expect(documented, `${method.toUpperCase()} ${path} → ${String(response.status)} is documented`).toBeDefined();
    const content = documented?.content;
    if (!content) {
      expect(response.text).toBe('');
      return;
    }
    const type = String(response.headers['content-type']).split(';')[0] ?? '';
    expect(Object.keys(content)).toContain(type);
    const target = content[type]?.schema?.$ref;
    if (typeof target !== 'string') return;
    const schema: z.ZodType | undefined = openApiSchemas[target.replace('#/components/schemas/', '')];
    const parsed = schema?.safeParse(response.body);
    expect(parsed?.error?.issues, `${method.toUpperCase()} ${path} → ${String(response.status)} body`).toBeUndefined();
    expect(parsed?.success).toBe(true);
    if (target.endsWith('/Error')) {
      const code = (response.body as { error: { code: string } }).error.code;
      expect(documented.description, `${method.toUpperCase()} ${path} → ${String(response.status)} names ${code}`).toContain(`\`${code}\``);
    }
  };

  const api = () => request(harness.ombuds.app);
  const as = (key: string) => `Bearer ${key}`;

  beforeAll(async () => {
    app = await startFakeReceiver({ fallback: reply.ok() });
    helpdesk = await startFakeReceiver({ fallback: reply.ok() });
    harness = await startHarness(configuration, { env: { TIMEZONE: 'Asia/Shanghai', REGIME: 'cn_nfra' } });
    agent = await harness.addStaff('oa-agent', 'agent', ['cards']);
    supervisor = await harness.addStaff('oa-supervisor', 'supervisor', []);
    admin = await harness.addStaff('oa-admin', 'admin', []);
  });
  afterAll(async () => {
    await harness.close();
    await app.close();
    await helpdesk.close();
  });

  it('the callback routes', async () => {
    conforms('/v1/callback', 'get', await api().get('/v1/callback').set('Authorization', as(harness.appKey)));
    conforms('/v1/callback', 'put', await api().put('/v1/callback').set('Authorization', as(harness.appKey)).send({ url: 'ftp://bank.example/cb' }));
    conforms('/v1/callback', 'put', await api().put('/v1/callback').set('Authorization', as(harness.appKey)).set('Content-Type', 'text/plain').send('x'));
    conforms('/v1/callback', 'put', await api().put('/v1/callback').set('Authorization', as(supervisor.key)).send({ url: `${app.url}/cb` }));
    const registered = await api().put('/v1/callback').set('Authorization', as(harness.appKey)).send({ url: `${app.url}/cb` });
    expect(registered.status).toBe(200);
    conforms('/v1/callback', 'put', registered);
    callbackSecret = (registered.body as { signingSecret: string }).signingSecret;
    conforms('/v1/callback', 'get', await api().get('/v1/callback').set('Authorization', as(harness.appKey)));
    conforms('/v1/callback', 'delete', await api().delete('/v1/callback'));
  });

  it('the webhook subscription routes', async () => {
    conforms('/v1/webhooks', 'post', await api().post('/v1/webhooks').set('Authorization', as(supervisor.key)).send({ url: `${helpdesk.url}/hooks` }));
    conforms('/v1/webhooks', 'post', await api().post('/v1/webhooks').set('Authorization', as(admin.key)).send({ url: `${helpdesk.url}/hooks`, events: ['complaint.lost'] }));
    const created = await api().post('/v1/webhooks').set('Authorization', as(admin.key)).send({ url: `${helpdesk.url}/hooks` });
    expect(created.status).toBe(201);
    conforms('/v1/webhooks', 'post', created);
    webhookSecret = (created.body as { signingSecret: string }).signingSecret;
    const retired = await api().post('/v1/webhooks').set('Authorization', as(admin.key)).send({ url: `${helpdesk.url}/retired`, events: ['complaint.closed'] });
    const retiredId = (retired.body as { id: string }).id;
    conforms('/v1/webhooks/{id}', 'delete', await api().delete(`/v1/webhooks/${retiredId}`).set('Authorization', as(admin.key)));
    conforms('/v1/webhooks/{id}', 'delete', await api().delete('/v1/webhooks/not-a-uuid').set('Authorization', as(admin.key)));
    conforms('/v1/webhooks/{id}', 'delete', await api().delete(`/v1/webhooks/${retiredId}`).set('Authorization', as(agent.key)));
    const listed = await api().get('/v1/webhooks').set('Authorization', as(admin.key));
    expect((listed.body as { items: unknown[] }).items).toHaveLength(2);
    conforms('/v1/webhooks', 'get', listed);
    conforms('/v1/webhooks', 'get', await api().get('/v1/webhooks'));
  });

  it('the signed callback and webhook POSTs', async () => {
    const accepted = await api().post('/v1/messages').set('Authorization', as(harness.appKey)).send(complaintBody);
    conforms('/v1/messages', 'post', accepted);
    reference = (accepted.body as { complaintReference: string }).complaintReference;
    await harness.waitForIdle();
    const [callback] = await app.waitForRequests(1, 20_000);
    const [event] = await helpdesk.waitForRequests(1, 20_000);
    const webhooks = document.webhooks as Record<string, { post: Operation }>;
    const check = (name: string, received: ReceivedRequest | undefined, secret: string) => {
      if (!received) throw new Error(`no ${name} POST`);
      const described = webhooks[name]?.post;
      const schemaName = String(described?.requestBody?.content?.['application/json']?.schema?.$ref).replace('#/components/schemas/', '');
      expect(openApiSchemas[schemaName]?.safeParse(received.json).error?.issues).toBeUndefined();
      expect(received.headers['content-type']).toMatch(/^application\/json/);
      for (const header of described?.parameters ?? []) {
        const value = received.headers[header.name.toLowerCase()];
        expect(typeof value, `${name} ${header.name}`).toBe('string');
        const pattern = header.schema?.pattern;
        if (typeof pattern === 'string') expect(value).toMatch(new RegExp(pattern));
        const allowed = header.schema?.enum;
        if (Array.isArray(allowed)) expect(allowed).toContain(value);
      }
      expect(verifyBodySignature(secret, received.rawBody, received.headers['ombuds-signature'] as string, new Date())).toBe(true);
      return { json: received.json as Json, headers: received.headers };
    };
    const message = check('callbackMessage', callback, callbackSecret);
    expect(message.headers['ombuds-delivery']).toBe(message.json.messageId);
    expect(message.headers['ombuds-attempt']).toBe('1');
    const complaintEvent = check('complaintEvent', event, webhookSecret);
    expect(complaintEvent.headers['ombuds-delivery']).toBe(complaintEvent.json.id);
    expect(complaintEvent.headers['ombuds-event']).toBe(complaintEvent.json.type);
  });

  it('the complaint view and the action endpoint, refusals included', async () => {
    const viewed = await api().get(`/v1/complaints/${reference}`).set('Authorization', as(supervisor.key));
    conforms('/v1/complaints/{id}', 'get', viewed);
    expect((viewed.body as { state: unknown }).state).not.toBeNull();
    const act = (body: unknown, key = supervisor.key, idempotencyKey?: string) => {
      const call = api().post(`/v1/complaints/${reference}/actions`).set('Authorization', as(key));
      return (idempotencyKey === undefined ? call : call.set('Idempotency-Key', idempotencyKey)).send(body as object);
    };
    const path = '/v1/complaints/{id}/actions';
    const triaged = await act({ type: 'triage', note: 'checked' }, supervisor.key, 'oa-1');
    expect(triaged.status).toBe(200);
    conforms(path, 'post', triaged);
    const replayed = await act({ type: 'triage', note: 'checked' }, supervisor.key, 'oa-1');
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    conforms(path, 'post', replayed);
    conforms(path, 'post', await act({ type: 'triage', note: 'something else' }, supervisor.key, 'oa-1'));
    conforms(path, 'post', await act({ type: 'triage' }, supervisor.key, 'no spaces allowed'));
    conforms(path, 'post', await act({ type: 'send_final_response' }));
    conforms(path, 'post', await act({ type: 'assign', assignee: admin.id }, agent.key));
    conforms(path, 'post', await act({ type: 'pause_clock', reason: 'external_appraisal' }));
    conforms(path, 'post', await act({ type: 'resume_clock' }));
    conforms(path, 'post', await act({ type: 'extend_deadline', clock: 'no_such_clock', extension: 'complex', reason: 'why not' }));
    conforms(path, 'post', await act({ type: 'fly' }));
    conforms(path, 'post', await act({ type: 'triage' }, 'omb_staff_wrong'));
    const missing = await api().post('/v1/complaints/CMP-1999-999999/actions').set('Authorization', as(supervisor.key)).send({ type: 'add_note', text: 'x' });
    conforms(path, 'post', missing);
  });

  it('the notification feed and the summary report', async () => {
    const feed = await api().get('/v1/notifications').query({ limit: 5 }).set('Authorization', as(supervisor.key));
    expect((feed.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    conforms('/v1/notifications', 'get', feed);
    conforms('/v1/notifications', 'get', await api().get('/v1/notifications').query({ limit: 0 }).set('Authorization', as(agent.key)));

    const window = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const report = await api().get('/v1/reports/summary').query({ ...window, groupBy: 'team' }).set('Authorization', as(supervisor.key));
    expect((report.body as { totals: { received: number } }).totals.received).toBe(1);
    conforms('/v1/reports/summary', 'get', report);
    const csv = await api().get('/v1/reports/summary').query(window).set('Accept', 'text/csv').set('Authorization', as(admin.key));
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="ombuds-report-/);
    conforms('/v1/reports/summary', 'get', csv);
    conforms('/v1/reports/summary', 'get', await api().get('/v1/reports/summary').query(window).set('Authorization', as(agent.key)));
    conforms('/v1/reports/summary', 'get', await api().get('/v1/reports/summary').query({ from: window.to, to: window.from }).set('Authorization', as(supervisor.key)));
    conforms('/v1/reports/summary', 'get', await api().get('/v1/reports/summary').query({ from: 'yesterday' }).set('Authorization', as(supervisor.key)));
  });
});
