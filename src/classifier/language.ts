/**
 * Language detection for routing to the EN or ZH rules: the share of Han characters against Latin letters.
 * A Han character carries about a word, so it weighs as much as a few Latin letters. A channel's locale hint
 * decides only when the text itself is ambiguous; text with no Han or Latin letters at all is `und`.
 */
import type { Language } from '../contracts/index.js';

/** How many Latin letters one Han character weighs. */
const HAN_WEIGHT = 3;
/** The winning script must hold at least this share of the weighted letters. */
const DOMINANT_SHARE = 0.6;
/** Latin-only text shorter than this is too short to tell ("ok", "hi"): the hint decides, else `en`. */
const MINIMUM_LATIN = 4;
/** Text whose (weighted) letters are less than this share of its visible characters is garbage (binary, symbols). */
const MINIMUM_LETTER_SHARE = 0.35;
/** Only this much of a long text is inspected: the language is settled long before 20,000 characters. */
const SAMPLE_LENGTH = 20_000;

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const WHITESPACE = /\s/u;

interface ScriptCounts {
  han: number;
  latin: number;
  other: number;
  visible: number;
}

function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, latin: 0, other: 0, visible: 0 };
  for (const character of text.slice(0, SAMPLE_LENGTH)) {
    if (!WHITESPACE.test(character)) counts.visible += 1;
    if (HAN.test(character)) counts.han += 1;
    else if (LATIN.test(character)) counts.latin += 1;
    else if (LETTER.test(character)) counts.other += 1;
  }
  return counts;
}

/** `zh-CN`, `zh_HK`, `en-GB`, `EN` → `zh` / `en`; anything else → undefined. */
function languageOfLocale(locale: string | undefined): 'zh' | 'en' | undefined {
  const prefix = locale?.trim().toLowerCase().slice(0, 2);
  return prefix === 'zh' || prefix === 'en' ? prefix : undefined;
}

/**
 * Detects the language of `text`: `zh`, `en`, or `und` for empty, emoji-only, other-script or garbage text.
 * `localeHint` (a channel locale such as `zh-HK`) is honoured only when the scripts are mixed or too few to tell.
 */
export function detectLanguage(text: string, localeHint?: string): Language {
  const counts = countScripts(text);
  const han = counts.han * HAN_WEIGHT;
  const latin = counts.latin;
  const total = han + latin + counts.other;
  if (han + latin === 0 || total < counts.visible * MINIMUM_LETTER_SHARE) return 'und';
  if (counts.other > counts.han + counts.latin) return 'und';
  const hint = languageOfLocale(localeHint);
  if (han === 0 && latin < MINIMUM_LATIN) return hint ?? 'en';
  if (han >= total * DOMINANT_SHARE) return 'zh';
  if (latin >= total * DOMINANT_SHARE) return 'en';
  if (hint !== undefined) return hint;
  return han >= latin ? 'zh' : 'en';
}
