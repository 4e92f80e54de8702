import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { ADDRESS_NOT_PUBLIC, createOutboundAddressGuard, isOutboundAddressNotPublic, type AddressResolver } from './outbound-address-guard.js';

type Looked = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function lookUp(resolve: AddressResolver | undefined, allowPrivateNetworks: boolean, hostname: string, options: LookupOptions = {}): Promise<Looked> {
  const guard = createOutboundAddressGuard({ allowPrivateNetworks, ...(resolve ? { resolve } : {}) });
  return new Promise((done) => {
    guard.lookup(hostname, options, (error, address, family) => {
      done({ error, address, ...(family === undefined ? {} : { family }) });
    });
  });
}

const answers = (...addresses: string[]): AddressResolver => () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('outbound address guard: lookup', () => {
  it('answers the public addresses it resolved, one or all as node:net asks', async () => {
    const resolve = answers('93.184.215.14', '2606:4700::1111');
    expect(await lookUp(resolve, false, 'bank.example')).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect(await lookUp(resolve, false, 'bank.example', { all: true })).toEqual({
      error: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
    });
    expect(await lookUp(resolve, false, 'bank.example', { family: 6 })).toEqual({ error: null, address: '2606:4700::1111', family: 6 });
  });

  it.each([
    [['127.0.0.1']],
    [['169.254.169.254']],
    [['10.1.2.3']],
    [['::1']],
    [['::ffff:127.0.0.1']],
    [['fd00::5']],
    // One bad address is enough: node:net may try any of them.
    [['93.184.215.14', '192.168.1.1']],
    [['2606:4700::1111', 'fe80::1']],
  ])('refuses a name that resolves to %j', async (addresses) => {
    const looked = await lookUp(answers(...addresses), false, 'hooks.bank.example', { all: true });
    expect(isOutboundAddressNotPublic(looked.error)).toBe(true);
    expect(looked.error).toMatchObject({ code: ADDRESS_NOT_PUBLIC, retryable: false });
    expect(looked.error?.message).toMatch(/^hooks\.bank\.example resolves to \S+, which is not a public address/);
  });

  it('refuses localhost through the system resolver', async () => {
    const looked = await lookUp(undefined, false, 'localhost');
    expect(looked.error).toMatchObject({ code: ADDRESS_NOT_PUBLIC });
  });

  it('lets private addresses through when private networks are allowed', async () => {
    expect(await lookUp(answers('127.0.0.1'), true, 'hooks.bank.example')).toEqual({ error: null, address: '127.0.0.1', family: 4 });
  });

  it('passes resolver failures on, and answers ENOTFOUND when no address of the wanted family exists', async () => {
    const failing: AddressResolver = () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN hooks.bank.example'), { code: 'EAI_AGAIN' }));
    expect((await lookUp(failing, false, 'hooks.bank.example')).error).toMatchObject({ code: 'EAI_AGAIN' });
    expect((await lookUp(answers('93.184.215.14'), false, 'hooks.bank.example', { family: 6 })).error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('outbound address guard: refuseUrl', () => {
  const strict = createOutboundAddressGuard({ allowPrivateNetworks: false });
  const open = createOutboundAddressGuard({ allowPrivateNetworks: true });

  it('refuses localhost and non-public literals on their face, unless private networks are allowed', () => {
    for (const url of ['http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]/cb', 'http://169.254.169.254/latest', 'http://0x7f.1/']) {
      expect(strict.refuseUrl(new URL(url))).not.toBeNull();
      expect(open.refuseUrl(new URL(url))).toBeNull();
    }
    expect(strict.refuseUrl(new URL('https://hooks.bank.example/cb'))).toBeNull();
    expect(strict.refuseUrl(new URL('https://93.184.215.14/cb'))).toBeNull();
  });
});
