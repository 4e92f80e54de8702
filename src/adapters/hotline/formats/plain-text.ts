/**
 * Plain-text transcripts (CHANNELS.md §6): one turn per line, `Agent:`/`Customer:` or `坐席：`/`客服：`/`客户：`/
 * `用户：` with a half- or full-width colon, optionally after a timestamp (`[00:01:02]`, `12:03.5`). Chinese QC tools
 * export `<li start=ms end=ms emotion= speed=>坐席：…</li>` rows, with silence rows (`class="silences"`) that are not
 * speech and are dropped. A line that does not start with a label continues the previous turn; lines before the first
 * label are a header and are not speech. Turns without times take the last time seen (0 at first), so they keep
 * their order.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { roleFromLabel } from '../roles.js';
import { assembleTranscript, type Fragment, type SpeakerInfo } from './assemble.js';
import { decodeEntities, timestampToMs } from './cues.js';

const LABELS = '坐席|座席|客服|客户|用户|Agent|Customer|Caller|Rep|Representative|Operator|IVR|System';
const LABELLED_LINE = new RegExp(
  `^\\s*(?:\\[?((?:\\d{1,2}:)?\\d{1,2}:\\d{2}(?:[.,]\\d{1,3})?)\\]?\\s*)?(${LABELS})(?:[ _-]?\\d{1,2})?\\s*[:：]\\s*(.*)$`,
  'i',
);
const QC_ROW = /^\s*<li\b([^>]{0,500})>(.*?)(?:<\/li>\s*)?$/i;
const ATTRIBUTE = /([a-z]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/** Whether these first lines look like a labelled transcript (detection: any labelled line or QC row). */
export function isPlainTextTranscript(firstLines: readonly string[]): boolean {
  return firstLines.some((line) => LABELLED_LINE.test(line) || /^\s*<li\s+start=/i.test(line));
}

export function parsePlainText(text: string): Transcript {
  const fragments: Fragment[] = [];
  const speakers = new Map<string, SpeakerInfo>();
  let lastStart = 0;
  let current: Fragment | undefined;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    let line = rawLine;
    let startMs: number | undefined;
    let endMs: number | undefined;
    const row = QC_ROW.exec(line);
    if (row) {
      const attributes = attributesOf(row[1] ?? '');
      if (attributes.has('silence') || /silence/i.test(attributes.get('class') ?? '')) continue;
      startMs = numberOrUndefined(attributes.get('start'));
      endMs = numberOrUndefined(attributes.get('end'));
      line = decodeEntities((row[2] ?? '').replace(/<[^<>]*>/g, ''));
    }
    const labelled = LABELLED_LINE.exec(line);
    if (labelled) {
      const label = labelled[2] ?? '';
      startMs ??= labelled[1] === undefined ? undefined : timestampToMs(labelled[1]);
      lastStart = startMs ?? lastStart;
      speakers.set(label, { role: roleFromLabel(label) ?? 'unknown' });
      current = { rawSpeaker: label, startMs: lastStart, endMs, text: labelled[3] ?? '' };
      fragments.push(current);
    } else if (current && line.trim() !== '') {
      current.text += ` ${line.trim()}`;
      if (endMs !== undefined) current.endMs = Math.max(current.endMs ?? endMs, endMs);
    }
  }
  return assembleTranscript({ format: 'plain_text', fragments, speakers });
}

function attributesOf(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set((match[1] ?? '').toLowerCase(), (match[2] ?? '').replace(/^["']|["']$/g, ''));
  }
  return attributes;
}

function numberOrUndefined(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : undefined;
}
