/**
 * Reply templates for staff (issue 8, `GET /v1/templates`): professional starting points for what a complaint
 * handler writes to a customer — a reply, a request for information, a proposed resolution, a final response — in
 * English and Chinese. They are data (`replies.json`), checked against the contract when the module loads; the
 * console fills in `{{reference}}`, `{{customerName}}` and `{{dueDate}}`.
 */
import { z } from 'zod';
import { ReplyTemplate } from '../../contracts/index.js';
import catalogue from './replies.json' with { type: 'json' };

const Catalogue = z.object({ items: z.array(ReplyTemplate).min(1) });

function load(): ReplyTemplate[] {
  const parsed = Catalogue.safeParse(catalogue);
  if (!parsed.success) throw new Error(`reply templates (replies.json) are invalid: ${z.prettifyError(parsed.error)}`);
  const ids = new Set<string>();
  for (const item of parsed.data.items) {
    if (ids.has(item.id)) throw new Error(`reply templates (replies.json): id "${item.id}" appears twice`);
    ids.add(item.id);
  }
  return parsed.data.items;
}

const TEMPLATES = load();

/** The templates in `language`, of one purpose or all, in catalogue order. */
export function listReplyTemplates(filter: { language: ReplyTemplate['language']; purpose?: ReplyTemplate['purpose'] }): ReplyTemplate[] {
  return TEMPLATES.filter((template) => template.language === filter.language && (filter.purpose === undefined || template.purpose === filter.purpose));
}
