import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubText } from './logger.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('redacting logger', () => {
  it('censors sensitive keys at any of the first levels', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    logger.info({ text: 'my card is blocked', message: { body: 'secret body', sender: { phone: '+447700900123', email: 'a@b.co' } } }, 'received');
    const line = lines.join('');
    expect(line).not.toContain('my card is blocked');
    expect(line).not.toContain('secret body');
    expect(line).not.toContain('7700900123');
    expect(line).not.toContain('a@b.co');
    expect(line).toContain('[REDACTED]');
  });

  it('scrubs numbers and e-mail addresses from free text, including error messages', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info' }, stream);
    logger.warn({ err: new Error('duplicate key for 6222 0212 3456 7890 and x.y@bank.cn') }, 'call 139-1234-5678 now');
    const line = lines.join('');
    expect(line).not.toMatch(/6222|7890|x\.y@bank\.cn|1234-5678/);
    expect(line).toContain('[NUMBER]');
    expect(line).toContain('[EMAIL]');
  });

  it('leaves short numbers and ordinary words alone', () => {
    expect(scrubText('attempt 3 of 8 for CMP-2026-000123')).toBe('attempt 3 of 8 for CMP-2026-000123');
    const id = 'message 0f3e5a12-1234-4567-8901-123456789012 due 2026-12-15T15:59:59.999Z';
    expect(scrubText(id)).toBe(id);
    expect(scrubText('card 4111111111111111')).toBe('card [NUMBER]');
  });
});
