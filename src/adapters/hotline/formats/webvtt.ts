/**
 * WebVTT (CHANNELS.md §6): cues of an optional id line, a timing line and text. The speaker is the `<v Name>` voice
 * span — end tag optional, classes allowed (`<v.loud Mary>`), several voices in one cue (each its own fragment at
 * the cue's time; text after a `</v>` stays with that voice, as in `<v Esme>Hee!</v> <i>laughter</i>`). Zoom writes
 * `Name: text` instead; that is read as the speaker only when most cues carry such a prefix, so "Note: …" in a
 * caption does not invent a speaker. NOTE, STYLE and REGION blocks are skipped. Names are not roles: roles are inferred
 * unless the name is a role label (`Agent`, `坐席`).
 */
import type { Transcript } from '../../../contracts/transcript.js';
import { roleFromLabel } from '../roles.js';
import { assembleTranscript, type Fragment, type SpeakerInfo } from './assemble.js';
import { blocksOf, parseTimingLine, stripMarkup, type Timing } from './cues.js';

interface Cue extends Timing {
  lines: string[];
}

const VOICE_TAG = /<v(?:\.[^\s>]{0,100})?(?:\s([^>\n]{0,200}))?>/g;
const ZOOM_PREFIX = /^([^:<>\n]{1,60}?):\s+(\S.*)$/;

export function parseWebVtt(text: string): Transcript {
  const cues: Cue[] = [];
  for (const block of blocksOf(text)) {
    const timingIndex = block.findIndex((line) => line.includes('-->'));
    if (timingIndex < 0 || timingIndex > 1) continue;
    const timing = parseTimingLine(block[timingIndex] ?? '');
    if (!timing) continue;
    cues.push({ ...timing, lines: block.slice(timingIndex + 1) });
  }

  const unvoiced = cues.filter((cue) => !cue.lines.some((line) => line.includes('<v')));
  const prefixed = unvoiced.filter((cue) => ZOOM_PREFIX.test(stripMarkup(cue.lines[0] ?? '')));
  const zoomStyle = prefixed.length >= 2 && prefixed.length * 2 >= unvoiced.length;

  const fragments: Fragment[] = [];
  for (const cue of cues) {
    const joined = cue.lines.join('\n');
    if (joined.includes('<v')) fragments.push(...voicedFragments(cue, joined));
    else {
      const plain = stripMarkup(cue.lines.join(' '));
      const zoom = zoomStyle ? ZOOM_PREFIX.exec(plain) : null;
      fragments.push({ rawSpeaker: zoom?.[1]?.trim() ?? '', startMs: cue.startMs, endMs: cue.endMs, text: zoom?.[2] ?? plain });
    }
  }
  return assembleTranscript({ format: 'webvtt', fragments, speakers: labelRoles(fragments) });
}

function voicedFragments(cue: Cue, joined: string): Fragment[] {
  const fragments: Fragment[] = [];
  const matches = [...joined.matchAll(VOICE_TAG)];
  const before = stripMarkup(joined.slice(0, matches[0]?.index ?? joined.length).replace(/\n/g, ' ')).trim();
  if (before !== '') fragments.push({ rawSpeaker: '', startMs: cue.startMs, endMs: cue.endMs, text: before });
  matches.forEach((match, position) => {
    const from = (match.index) + match[0].length;
    const to = matches[position + 1]?.index ?? joined.length;
    fragments.push({
      rawSpeaker: stripMarkup(match[1] ?? '').trim(),
      startMs: cue.startMs,
      endMs: cue.endMs,
      text: stripMarkup(joined.slice(from, to).replace(/\n/g, ' ')),
    });
  });
  return fragments;
}

/** Speakers whose name is a role label (`<v Agent>`, `坐席: …`) keep that role; the rest are inferred. */
export function labelRoles(fragments: readonly Fragment[]): Map<string, SpeakerInfo> {
  const speakers = new Map<string, SpeakerInfo>();
  for (const fragment of fragments) {
    if (speakers.has(fragment.rawSpeaker)) continue;
    const role = roleFromLabel(fragment.rawSpeaker);
    speakers.set(fragment.rawSpeaker, fragment.rawSpeaker === '' ? {} : { role, ...(role === undefined ? { name: fragment.rawSpeaker.slice(0, 200) } : {}) });
  }
  return speakers;
}
