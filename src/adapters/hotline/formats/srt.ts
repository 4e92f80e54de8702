/**
 * SubRip (CHANNELS.md §6): blocks of an index, a timing line (`,` or `.`, 2-digit fractions, 1-digit hours) and text.
 * SRT has no speaker field; the conventions read here are `- [Adam] …` / `[Adam] …`, `NAME: …` (an upper-case name or
 * a role label such as `Agent:`/`坐席：`), and `>>` (a new, unnamed speaker: alternately `speaker 1` and `speaker 2`).
 * A speaker stays until the next marker. Subtitles with no marker at all come out as one unnamed speaker.
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { roleFromLabel } from '../roles.js';
import { assembleTranscript, type Fragment } from './assemble.js';
import { blocksOf, parseTimingLine, stripMarkup } from './cues.js';
import { labelRoles } from './webvtt.js';

const BRACKETED = /^-?\s*\[([^\]]{1,60})\]\s*(.*)$/;
const NAMED = /^-?\s*([^:：\s][^:：]{0,40}?)\s*[:：]\s*(.*)$/;
const CHEVRONS = /^>>\s*(.*)$/;

export function parseSrt(text: string): Transcript {
  const fragments: Fragment[] = [];
  let speaker = '';
  let unnamedTurn = 0;
  for (const block of blocksOf(text.replace(/^\uFEFF/, ''))) {
    const timingIndex = block.findIndex((line) => line.includes('-->'));
    if (timingIndex < 0 || timingIndex > 1) continue;
    const timing = parseTimingLine(block[timingIndex] ?? '');
    if (!timing) continue;
    for (const rawLine of block.slice(timingIndex + 1)) {
      let line = stripMarkup(rawLine).trim();
      const chevrons = CHEVRONS.exec(line);
      if (chevrons) {
        line = chevrons[1] ?? '';
        const named = NAMED.exec(line);
        if (named?.[1] && isSpeakerName(named[1])) {
          speaker = named[1];
          line = named[2] ?? '';
        } else {
          unnamedTurn += 1;
          speaker = `speaker ${String(2 - (unnamedTurn % 2))}`;
        }
      } else {
        const bracketed = BRACKETED.exec(line);
        const named = bracketed ? undefined : NAMED.exec(line);
        if (bracketed?.[1]) {
          speaker = bracketed[1].trim();
          line = bracketed[2] ?? '';
        } else if (named?.[1] && isSpeakerName(named[1])) {
          speaker = named[1];
          line = named[2] ?? '';
        }
      }
      fragments.push({ rawSpeaker: speaker, startMs: timing.startMs, endMs: timing.endMs, text: line });
    }
  }
  return assembleTranscript({ format: 'srt', fragments, speakers: labelRoles(fragments) });
}

/** `JOHN`, `MARY ANN`, `Agent`, `坐席` — not "We’re here" or "Note". */
function isSpeakerName(candidate: string): boolean {
  if (roleFromLabel(candidate) !== undefined) return true;
  return /^[A-Z][A-Z .'-]{0,39}$/.test(candidate) && /[A-Z]{2}/.test(candidate);
}
