/**
 * The staff directory in the OpenAPI document (staff-member-routes.ts): its schema (src/contracts/console.ts) and
 * path item, merged by openapi.ts.
 */
import type { z } from 'zod';
import { StaffMemberList } from '../contracts/index.js';

export const STAFF_MEMBER_OUTPUT_SCHEMAS: Record<string, z.ZodType> = { StaffMemberList };

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function staffMemberPathItems(): Record<string, Record<string, unknown>> {
  return {
    '/v1/staff/members': {
      get: {
        summary: 'The staff a complaint can be assigned to',
        description:
          'Enabled staff only, by display name: with `team`, the members of that team and every supervisor and admin (they may own any team’s complaint, as the `assign` action allows); without it, the same for all the teams you see (supervisors and admins: every enabled staff member; agents: their own teams). Each is `{id, username, displayName, role, teams}` — no key or password material. Give `id` as `assignee` to the `assign` action.',
        operationId: 'listStaffMembers',
        security: [{ staffKey: [] }],
        parameters: [
          {
            name: 'team',
            in: 'query',
            required: false,
            description: 'Only staff who may own this team’s complaints (agents: one of their own teams).',
            schema: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,63}$' },
          },
        ],
        responses: {
          '200': { description: 'The staff members.', content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffMemberList' } } } },
          '400': errorResponse('A bad query: an unknown parameter or a malformed team (`PAYLOAD_INVALID`).'),
          '401': errorResponse('No staff key and no console session (`UNAUTHENTICATED`).'),
          '403': errorResponse('An agent asked for a team that is not theirs (`FORBIDDEN`).'),
          '503': errorResponse('The database is unreachable (`STORE_UNAVAILABLE`); retry later.'),
        },
      },
    },
  };
}
