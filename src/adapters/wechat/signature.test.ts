import { describe, expect, it } from 'vitest';
import { wechatSignature, wechatSignatureMatches } from './signature.js';

describe('WeChat signatures (CHANNELS.md §5 test vectors)', () => {
  it('signs sorted [token, timestamp, nonce]: the official vector', () => {
    expect(wechatSignature(['pamtest', '1409304348', 'xxxxxx'])).toBe('76480565cbe296026c53aaacd1ad523a1ddba24f');
    // The order the parts are given in does not matter: they are sorted first.
    expect(wechatSignature(['xxxxxx', 'pamtest', '1409304348'])).toBe('76480565cbe296026c53aaacd1ad523a1ddba24f');
  });

  it('signs sorted [token, timestamp, nonce, Encrypt] for msg_signature: the official compat-mode vector', () => {
    const encrypt =
      'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
    expect(wechatSignature(['spamtest', '1409735669', '1320562132', encrypt])).toBe('5d197aaffba7e9b25a30732f161a50dee96bd5fa');
  });

  it('matches the vector in either case and refuses it with one character changed', () => {
    const parts = ['pamtest', '1409304348', 'xxxxxx'];
    expect(wechatSignatureMatches('76480565cbe296026c53aaacd1ad523a1ddba24f', parts)).toBe(true);
    expect(wechatSignatureMatches('76480565CBE296026C53AAACD1AD523A1DDBA24F', parts)).toBe(true);
    expect(wechatSignatureMatches('76480565cbe296026c53aaacd1ad523a1ddba24e', parts)).toBe(false);
    expect(wechatSignatureMatches('76480565cbe296026c53aaacd1ad523a1ddba24f', ['pamtest', '1409304349', 'xxxxxx'])).toBe(false);
    expect(wechatSignatureMatches('', parts)).toBe(false);
  });
});
