import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../test/support/fixtures.js';
import { isOmbudsError } from '../../shared/errors.js';
import { parseWeChatXml } from './xml.js';

function refusal(body: string | Buffer): string {
  try {
    parseWeChatXml(body);
  } catch (error) {
    if (isOmbudsError(error) && error.code === 'PAYLOAD_INVALID') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseWeChatXml', () => {
  it('reads every field as a string: a 64-bit MsgId keeps every digit, CDATA text is kept as is', () => {
    const document = parseWeChatXml(readFileSync(fixturePath('wechat/wechat-5-decrypted.xml')));
    expect(document).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
    // What a number would have made of it: the id of another message.
    expect(String(Number(document.MsgId))).not.toBe(document.MsgId);
    expect(parseWeChatXml('<xml><Content><![CDATA[a &amp; <b>]]></Content></xml>').Content).toBe('a &amp; <b>');
  });

  it('decodes only the predefined entities outside CDATA, and accepts a declaration and a BOM', () => {
    expect(parseWeChatXml('<xml><Content>a &amp; b &lt;c&gt;</Content></xml>').Content).toBe('a & b <c>');
    expect(parseWeChatXml('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml><MsgType>text</MsgType></xml>')).toEqual({ MsgType: 'text' });
  });

  it('refuses any DTD or entity declaration, wherever it is (no entity expansion)', () => {
    expect(refusal('<!DOCTYPE xml [<!ENTITY x "boom">]><xml><Content>&x;</Content></xml>')).toMatch(/xml|DTD/);
    expect(refusal('<xml><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><Content>&x;</Content></xml>')).toMatch(/DTD/);
    expect(refusal('<xml><!ENTITY lol "lol"><Content>&lol;</Content></xml>')).toMatch(/DTD/);
    // Inside CDATA it is only text (a customer may paste anything).
    expect(parseWeChatXml('<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>').Content).toBe('<!DOCTYPE html>');
  });

  it('refuses what is not one <xml> document with fields', () => {
    const bodies = ['', '   ', 'junk', '{"a":1}', '<yml><a>1</a></yml>', '<xml/>', '<xml></xml>', '<xml>text only</xml>', '<xml><a>1</a></xml><xml><a>2</a></xml>'];
    for (const body of bodies) expect(refusal(body), body).toBeTruthy();
    expect(refusal(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0xfe]))).toMatch(/UTF-8/);
    expect(refusal('<xml><__proto__>x</__proto__></xml>')).toBeTruthy();
    expect(refusal(`<xml>${'<a>'.repeat(20)}x${'</a>'.repeat(20)}</xml>`)).toBeTruthy();
  });
});
