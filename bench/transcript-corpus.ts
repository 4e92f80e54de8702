/**
 * The import bench's corpus (issue 7, "Performance"): N synthetic hotline calls written into a folder from a
 * deterministic seed, in every format the importer reads (AWS Transcribe, Contact Lens, Google STT, Azure batch,
 * Genesys, Twilio VI, WebVTT, SRT, plain text — shaped like fixtures/transcripts/), about 100 KB a call on average
 * (35–195 KB aimed), with unique call ids, phone numbers and texts; packaged as loose files in day folders, single `.gz`
 * files, `.zip` archives and JSONL (plain and gzipped) of 25 calls each. Owns generation only; writes as it goes, so
 * a 1 GB corpus never sits in memory.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

export type CorpusFormat = 'aws' | 'contact_lens' | 'google' | 'azure' | 'genesys' | 'twilio' | 'webvtt' | 'srt' | 'plain';
const FORMATS: readonly CorpusFormat[] = ['aws', 'contact_lens', 'google', 'azure', 'genesys', 'twilio', 'webvtt', 'srt', 'plain'];
const JSON_FORMATS = new Set<CorpusFormat>(['aws', 'contact_lens', 'google', 'azure', 'genesys', 'twilio']);

export interface CorpusStats {
  calls: number;
  /** Transcript bytes once decompressed (what the importer and the baseline read). */
  transcriptBytes: number;
  /** Bytes on disk (archives compressed). */
  diskBytes: number;
  files: number;
  byFormat: Record<string, number>;
  byPackaging: { loose: number; gzip: number; zip: number; jsonl: number; jsonlGzip: number };
  /** Calls whose format carries no call id (deduplicated by content hash). */
  withoutCallId: number;
  seconds: number;
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const between = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

const BANKS = ['Northbridge Bank', 'Harbour Savings', 'Crestline Bank', 'Meridian Trust'];
const AGENTS = ['Sarah', 'Tom', 'Priya', 'Daniel', 'Mei', 'Lucas'];
const PRODUCTS = ['credit card', 'current account', 'savings account', 'mortgage', 'personal loan', 'debit card'];
const MERCHANTS = ['an online shop', 'a petrol station', 'a hotel in Lisbon', 'a streaming service', 'a furniture store'];
const CUSTOMER_EN = [
  "I'm calling about my {product}, there is a charge of {amount} pounds on {date} that I never made.",
  'I have been charged twice for the same payment to {merchant}, {amount} pounds each time.',
  "I'd like to complain, I asked for a refund of {amount} pounds weeks ago and nothing happened.",
  'My card was declined at {merchant} although my balance was fine, it was really embarrassing.',
  'The fee of {amount} pounds on my statement was never explained to me when I opened the {product}.',
  'I have been waiting on hold for forty minutes and the app keeps logging me out.',
  'Yes, the payment went out on {date}, the reference on my statement ends in {digits}.',
  'No, I did not authorise it, I still have the card with me right here.',
  'Can you tell me when the money will be back in my account?',
  'That is not good enough, this is the third time I am calling about the same problem.',
];
const AGENT_EN = [
  'May I have the last four digits of the card, please?',
  'Let me check that for you, one moment please.',
  'I can see a transaction of {amount} pounds to {merchant} on {date}, is that the one?',
  'I apologise for the inconvenience, I will raise this as a formal complaint today.',
  'For security purposes can I confirm your date of birth?',
  'I have blocked the card and a new one will arrive within five working days.',
  'The refund of {amount} pounds should reach your {product} within three to five days.',
  'Is there anything else I can help you with today?',
  'Would you like me to send the complaint reference by text message?',
  'I understand, I am sorry about that, let me look at the history of your {product}.',
];
const CUSTOMER_ZH = [
  '我的信用卡在{date}被扣了{amount}元，我根本没有消费过。',
  '我想投诉，柜员机吞了我的卡，到现在还没有退回来。',
  '上个月的年费{amount}元，开卡的时候没人告诉我要收费。',
  '我转账{amount}元到现在还没到账，已经三天了怎么办？',
  '对，就是{date}那一笔，尾号是{digits}。',
  '我已经打了好几次电话了，每次都说会处理，可是一直没有结果。',
];
const AGENT_ZH = [
  '请问您的卡号后四位是多少？',
  '好的，请您稍等，我帮您查一下。',
  '我这边看到{date}有一笔{amount}元的交易，是这一笔吗？',
  '非常抱歉给您带来不便，我马上帮您登记投诉。',
  '退款{amount}元预计三到五个工作日内退回到您的账户。',
  '请问还有其他可以帮您的吗？',
];

interface Turn {
  speaker: 'agent' | 'customer';
  text: string;
  startMs: number;
  endMs: number;
}

interface Call {
  index: number;
  callId: string;
  phone: string;
  startedAtMs: number;
  chinese: boolean;
  agent: string;
  turns: Turn[];
}

function fill(rng: Rng, template: string, index: number): string {
  return template
    .replace('{product}', pick(rng, PRODUCTS))
    .replace('{merchant}', pick(rng, MERCHANTS))
    .replace('{amount}', `${between(rng, 5, 4_999)}.${String(between(rng, 0, 99)).padStart(2, '0')}`)
    .replace('{date}', `${between(rng, 1, 28)} ${index % 2 === 0 ? 'November' : 'October'}`)
    .replace('{digits}', String(between(rng, 1000, 9999)));
}

/** A call of about `words` words (English) or characters / 8 (Chinese), alternating agent and customer. */
function makeCall(rng: Rng, index: number, words: number): Call {
  const chinese = rng() < 0.15;
  const bank = pick(rng, BANKS);
  const agent = pick(rng, AGENTS);
  const turns: Turn[] = [];
  let clock = between(rng, 0, 2_000);
  let count = 0;
  const push = (speaker: Turn['speaker'], text: string) => {
    const length = chinese ? Math.ceil(text.length / 2) : text.split(' ').length;
    const duration = 400 + length * between(rng, 250, 420);
    turns.push({ speaker, text, startMs: clock, endMs: clock + duration });
    clock += duration + between(rng, 100, 900);
    count += length;
  };
  push('agent', chinese ? `您好，${bank}客服中心，工号${between(rng, 1000, 9999)}，请问有什么可以帮您？` : `Thank you for calling ${bank}, my name is ${agent}, how can I help you today?`);
  while (count < words) {
    push('customer', fill(rng, pick(rng, chinese ? CUSTOMER_ZH : CUSTOMER_EN), index) + (rng() < 0.5 ? '' : ` ${fill(rng, pick(rng, chinese ? CUSTOMER_ZH : CUSTOMER_EN), index)}`));
    push('agent', fill(rng, pick(rng, chinese ? AGENT_ZH : AGENT_EN), index));
  }
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  return {
    index,
    callId: `bench-call-${String(index).padStart(6, '0')}-${hex(8)}`,
    phone: chinese ? `+86138${String(10_000_000 + index).slice(-8)}` : `+44770${String(1_000_000 + index).slice(-7)}`,
    startedAtMs: Date.UTC(2026, 10, 1) + index * 97_000,
    chinese,
    agent,
    turns,
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const clockText = (ms: number, separator: ',' | '.') => {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${separator}${String(Math.floor(ms % 1000)).padStart(3, '0')}`;
};
const wordsOf = (turn: Turn, chinese: boolean) => (chinese ? (turn.text.match(/.{1,4}/gu) ?? []) : turn.text.split(' '));

/** One call in one format: the text of the file (JSON formats as pretty-printed as their vendors write them). */
function render(call: Call, format: CorpusFormat, rng: Rng, indent: number | undefined): string {
  const language = call.chinese ? 'zh-CN' : 'en-GB';
  const durationMs = call.turns.at(-1)?.endMs ?? 0;
  const label = (turn: Turn) => (turn.speaker === 'agent' ? 'spk_0' : 'spk_1');
  const conf = () => Math.round((0.8 + rng() * 0.2) * 1000) / 1000;
  const timed = (turn: Turn) => {
    const words = wordsOf(turn, call.chinese);
    const step = (turn.endMs - turn.startMs) / Math.max(words.length, 1);
    return words.map((word, i) => ({ word, startMs: turn.startMs + i * step, endMs: turn.startMs + (i + 1) * step }));
  };
  switch (format) {
    case 'aws':
      return JSON.stringify({
        jobName: call.callId,
        accountId: '123456789012',
        status: 'COMPLETED',
        results: {
          language_code: language,
          transcripts: [{ transcript: call.turns.map((turn) => turn.text).join(' ') }],
          items: call.turns.flatMap((turn) =>
            timed(turn).map((word) => ({ start_time: seconds(word.startMs).toFixed(3), end_time: seconds(word.endMs).toFixed(3), alternatives: [{ confidence: String(conf()), content: word.word }], type: 'pronunciation', speaker_label: label(turn) })),
          ),
        },
      }, null, indent);
    case 'contact_lens':
      return JSON.stringify({
        Version: '1.1.0',
        AccountId: '123456789012',
        Channel: 'VOICE',
        ContentMetadata: { Output: 'Raw', RedactionTypes: [] },
        JobStatus: 'COMPLETED',
        LanguageCode: language,
        Participants: [{ ParticipantId: 'AGENT', ParticipantRole: 'AGENT' }, { ParticipantId: 'CUSTOMER', ParticipantRole: 'CUSTOMER' }],
        ConversationCharacteristics: { TotalConversationDurationMillis: durationMs, Sentiment: { OverallSentiment: { AGENT: 1.2, CUSTOMER: -0.8 } } },
        CustomerMetadata: { ContactId: call.callId, InstanceId: 'bench-instance', InputS3Uri: `s3://bench/recordings/${call.callId}.wav` },
        Transcript: call.turns.map((turn, i) => ({
          BeginOffsetMillis: turn.startMs,
          EndOffsetMillis: turn.endMs,
          Id: `${call.callId}-${i}`,
          ParticipantId: turn.speaker === 'agent' ? 'AGENT' : 'CUSTOMER',
          Content: turn.text,
          Sentiment: 'NEUTRAL',
          LoudnessScore: [between(rng, 60, 80), between(rng, 60, 80), between(rng, 60, 80)],
        })),
      }, null, indent);
    case 'google':
      return JSON.stringify({
        results: [{
          alternatives: [{
            transcript: call.turns.map((turn) => turn.text).join(' '),
            confidence: conf(),
            words: call.turns.flatMap((turn) => timed(turn).map((word) => ({ startOffset: `${seconds(word.startMs)}s`, endOffset: `${seconds(word.endMs)}s`, word: word.word, speakerLabel: turn.speaker === 'agent' ? '1' : '2' }))),
          }],
          languageCode: language.toLowerCase(),
        }],
      }, null, indent);
    case 'azure':
      return JSON.stringify({
        source: `https://bench.blob.core.windows.net/calls/${call.callId}.wav`,
        timestamp: new Date(call.startedAtMs).toISOString(),
        durationInTicks: durationMs * 10_000,
        durationMilliseconds: durationMs,
        recognizedPhrases: call.turns.map((turn) => ({
          recognitionStatus: 'Success',
          channel: 0,
          speaker: turn.speaker === 'agent' ? 1 : 2,
          offsetInTicks: turn.startMs * 10_000,
          durationInTicks: (turn.endMs - turn.startMs) * 10_000,
          offsetMilliseconds: turn.startMs,
          durationMilliseconds: turn.endMs - turn.startMs,
          locale: language,
          nBest: [{ confidence: conf(), lexical: turn.text.toLowerCase(), itn: turn.text.toLowerCase(), maskedITN: turn.text.toLowerCase(), display: turn.text }],
        })),
      }, null, indent);
    case 'genesys':
      return JSON.stringify({
        conversationId: call.callId,
        conversationStartTime: call.startedAtMs,
        participants: [
          { participantPurpose: 'customer', ani: `tel:${call.phone}`, startTimeMs: call.startedAtMs, endTimeMs: call.startedAtMs + durationMs },
          { participantPurpose: 'agent', userId: call.agent, startTimeMs: call.startedAtMs, endTimeMs: call.startedAtMs + durationMs + 1 },
        ],
        transcripts: [{
          language,
          phrases: call.turns.map((turn, i) => ({
            startTimeMs: call.startedAtMs + turn.startMs,
            duration: { milliseconds: turn.endMs - turn.startMs },
            participantPurpose: turn.speaker === 'agent' ? 'internal' : 'external',
            text: turn.text,
            decoratedText: turn.text,
            confidence: conf(),
            phraseIndex: i,
          })),
        }],
      }, null, indent);
    case 'twilio': {
      const sid = `GT${call.callId.replace(/[^0-9a-f]/g, '').padEnd(32, '0').slice(-32)}`;
      return JSON.stringify({
        transcript: {
          sid,
          duration: Math.ceil(durationMs / 1000),
          language_code: language,
          channel: { participants: [{ channel_participant: 1, role: 'Agent', full_name: call.agent }, { channel_participant: 2, role: 'Customer', media_participant_id: call.phone }] },
        },
        sentences: call.turns.map((turn, i) => ({
          media_channel: turn.speaker === 'agent' ? 1 : 2,
          sentence_index: i,
          start_time: seconds(turn.startMs),
          end_time: seconds(turn.endMs),
          transcript: turn.text,
          sid: `GX${String(call.index).padStart(10, '0')}${String(i).padStart(22, '0')}`,
          confidence: conf(),
        })),
        meta: { key: 'sentences', page: 0, page_size: 5000, url: `https://intelligence.twilio.com/v2/Transcripts/${sid}/Sentences` },
      }, null, indent);
    }
    case 'webvtt':
      return `WEBVTT\n\n${call.turns.map((turn, i) => `${i + 1}\n${clockText(turn.startMs, '.')} --> ${clockText(turn.endMs, '.')}\n<v ${turn.speaker === 'agent' ? `Agent ${call.agent}` : 'Customer'}>${turn.text}\n`).join('\n')}`;
    case 'srt':
      return call.turns.map((turn, i) => `${i + 1}\n${clockText(turn.startMs, ',')} --> ${clockText(turn.endMs, ',')}\n[${turn.speaker === 'agent' ? 'Agent' : 'Customer'}] ${turn.text}\n`).join('\n');
    case 'plain':
      return call.chinese
        ? call.turns.map((turn) => `${turn.speaker === 'agent' ? '坐席' : '客户'}${rng() < 0.5 ? '：' : ':'}${turn.text}`).join('\n')
        : call.turns.map((turn) => `${turn.speaker === 'agent' ? 'Agent' : 'Customer'}: ${turn.text}`).join('\n');
  }
}

/** A minimal zip writer (deflate, no zip64): entries go in memory until `finish`, an archive holds ~25 calls. */
function writeZip(path: string, entries: readonly { name: string; data: Buffer }[]): number {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, compressed);
    central.push(header, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  const fd = openSync(path, 'w');
  let written = 0;
  for (const part of [...parts, ...central, end]) written += writeSync(fd, part);
  closeSync(fd);
  return written;
}

const EXTENSION: Record<CorpusFormat, string> = { aws: 'json', contact_lens: 'json', google: 'json', azure: 'json', genesys: 'json', twilio: 'json', webvtt: 'vtt', srt: 'srt', plain: 'txt' };
const BATCH = 25;

/** Writes `calls` calls into `folder` (created); same seed and count → the same bytes. */
export function generateCorpus(folder: string, calls: number, seed = 7): CorpusStats {
  const started = performance.now();
  const rng = random(seed);
  const stats: CorpusStats = { calls: 0, transcriptBytes: 0, diskBytes: 0, files: 0, byFormat: {}, byPackaging: { loose: 0, gzip: 0, zip: 0, jsonl: 0, jsonlGzip: 0 }, withoutCallId: 0, seconds: 0 };
  mkdirSync(folder, { recursive: true });
  // Bytes per word of each format, measured once on a sample call, to aim each call at its size.
  const sample = makeCall(random(seed + 1), 0, 400);
  const bytesPerWord = new Map(FORMATS.map((format) => [format, Buffer.byteLength(render(sample, format, random(seed + 2), 2)) / 400]));
  let zip: { name: string; data: Buffer }[] = [];
  let jsonl: string[] = [];
  let archives = 0;
  let jsonlBatches = 0;
  const write = (path: string, data: Buffer) => {
    const fd = openSync(path, 'w');
    stats.diskBytes += writeSync(fd, data);
    closeSync(fd);
    stats.files += 1;
  };
  const flushZip = () => {
    if (zip.length === 0) return;
    stats.diskBytes += writeZip(join(folder, `archive-${String(archives++).padStart(4, '0')}.zip`), zip);
    stats.files += 1;
    zip = [];
  };
  const flushJsonl = () => {
    if (jsonl.length === 0) return;
    const data = Buffer.from(`${jsonl.join('\n')}\n`, 'utf8');
    const gzip = jsonlBatches % 2 === 0;
    write(join(folder, `batch-${String(jsonlBatches++).padStart(4, '0')}.jsonl${gzip ? '.gz' : ''}`), gzip ? gzipSync(data) : data);
    jsonl = [];
  };
  for (let index = 0; index < calls; index += 1) {
    const format = pick(rng, FORMATS);
    const targetBytes = between(rng, 35_000, 195_000);
    const call = makeCall(rng, index, Math.max(20, Math.round(targetBytes / (bytesPerWord.get(format) ?? 10))));
    const packaging = rng();
    const day = join(folder, `day-${String(1 + (index % 7)).padStart(2, '0')}`, index % 3 === 0 ? 'queue-a' : 'queue-b');
    const name = `${format}-${String(index).padStart(6, '0')}.${EXTENSION[format]}`;
    stats.calls += 1;
    stats.byFormat[format] = (stats.byFormat[format] ?? 0) + 1;
    if (format === 'google' || format === 'azure') stats.withoutCallId += 1;
    if (packaging < 0.15 && JSON_FORMATS.has(format)) {
      const line = render(call, format, rng, undefined);
      stats.transcriptBytes += Buffer.byteLength(line);
      jsonl.push(line);
      if (jsonlBatches % 2 === 0) stats.byPackaging.jsonlGzip += 1;
      else stats.byPackaging.jsonl += 1;
      if (jsonl.length === BATCH) flushJsonl();
      continue;
    }
    const data = Buffer.from(render(call, format, rng, 2), 'utf8');
    stats.transcriptBytes += data.length;
    if (packaging < 0.3) {
      zip.push({ name: `calls/${name}`, data });
      stats.byPackaging.zip += 1;
      if (zip.length === BATCH) flushZip();
    } else if (packaging < 0.4) {
      mkdirSync(day, { recursive: true });
      write(join(day, `${name}.gz`), gzipSync(data));
      stats.byPackaging.gzip += 1;
    } else {
      mkdirSync(day, { recursive: true });
      write(join(day, name), data);
      stats.byPackaging.loose += 1;
    }
  }
  flushZip();
  flushJsonl();
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}
