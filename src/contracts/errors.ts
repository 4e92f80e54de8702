/**
 * The JSON error body every 4xx/5xx answer carries.
 */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
;
export type ErrorBody = z.infer<typeof ErrorBody>;
