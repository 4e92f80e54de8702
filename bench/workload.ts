/**
 * What the load looks like: the API-channel fixtures (fixtures/api/*.json, checked against the ApiMessageBody
 * contract), rotated, each request with a unique clientMessageId and a sender drawn from a pool of customers (with
 * the phone / e-mail of that customer where the fixture has one). Client message ids follow the fixtures'
 * `app-msg-0001` pattern, or are UUIDs (`--ids=uuid`; Ombuds scans ids with 7+ digits for phone numbers).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiMessageBody } from '../src/contracts/index.js';
import { PROJECT_ROOT } from './processes.js';

export interface Workload {
  /** The next request body (JSON text). */
  nextBody(): string;
  /** Bodies handed out so far. */
  readonly issued: number;
  readonly fixtureCount: number;
}

export function loadFixtures(): ApiMessageBody[] {
  const folder = join(PROJECT_ROOT, 'fixtures', 'api');
  const files = readdirSync(folder).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no fixtures in ${folder}`);
  return files.map((file) => {
    const parsed = ApiMessageBody.safeParse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
    if (!parsed.success) throw new Error(`fixture ${file} does not match ApiMessageBody: ${parsed.error.message}`);
    return parsed.data;
  });
}

export type IdFormat = 'fixture' | 'uuid';

/** Ids are unique within a workload (each system has its own database); `customers` is the sender pool's size. */
export function createWorkload(fixtures: readonly ApiMessageBody[], ids: IdFormat, customers: number): Workload {
  let issued = 0;
  return {
    nextBody() {
      const sequence = issued++;
      const fixture = fixtures[sequence % fixtures.length];
      if (!fixture) throw new Error('no fixtures');
      const customer = Math.floor(Math.random() * customers);
      const sender: ApiMessageBody['sender'] = { ...fixture.sender, id: `bench-cust-${customer}` };
      if (sender.phone !== undefined) sender.phone = `+86138${String(customer).padStart(8, '0')}`;
      if (sender.email !== undefined) sender.email = `cust${customer}@example.org`;
      const body: ApiMessageBody = { ...fixture, clientMessageId: ids === 'uuid' ? randomUUID() : `app-msg-${String(sequence).padStart(4, '0')}`, sender };
      return JSON.stringify(body);
    },
    get issued() {
      return issued;
    },
    fixtureCount: fixtures.length,
  };
}
