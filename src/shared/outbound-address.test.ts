import { describe, expect, it } from 'vitest';
import { embeddedIpv4, isPublicAddress, nonPublicHostReason } from './outbound-address.js';

const NOT_PUBLIC = [
  // IPv4
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.255.255.254',
  '169.254.169.254',
  '169.254.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.10',
  '192.168.0.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.251',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6
  '::',
  '::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:169.254.169.254',
  '::ffff:10.1.2.3',
  '64:ff9b::10.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::1',
  '2002:c0a8:101::',
  '::127.0.0.1',
  'fc00::1',
  'fd12:3456:789a::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf:ffff::1',
  'fec0::1',
  'ff02::1',
  '100::1',
  '2001::1',
  '2001:db8::1',
  '2001:10::1',
  // not an address at all
  'localhost',
  'example.com',
  '',
  '1.2.3',
  '::g',
];

const PUBLIC = [
  '1.1.1.1',
  '8.8.8.8',
  '93.184.215.14',
  '100.63.255.255',
  '100.128.0.1',
  '172.15.255.255',
  '172.32.0.1',
  '169.253.255.255',
  '192.167.255.255',
  '198.17.255.255',
  '198.20.0.1',
  '223.255.255.254',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:808:808::1',
];

describe('isPublicAddress', () => {
  it.each(NOT_PUBLIC)('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(PUBLIC)('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('embeddedIpv4', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    ['64:ff9b::c0a8:0101', '192.168.1.1'],
    ['2002:0a00:0001::', '10.0.0.1'],
    ['2606:4700::1111', null],
    ['::1', null],
  ])('%s carries %s', (address, ipv4) => {
    expect(embeddedIpv4(address)).toBe(ipv4);
  });
});

describe('nonPublicHostReason', () => {
  it.each([
    ['localhost', /localhost/],
    ['localhost.', /localhost/],
    ['LocalHost', /localhost/],
    ['api.localhost', /localhost/],
    ['127.0.0.1', /127\.0\.0\.1 is not a public address/],
    ['169.254.169.254', /169\.254\.169\.254 is not a public address/],
    ['[::1]', /::1 is not a public address/],
    ['[::ffff:7f00:1]', /is not a public address/],
    ['[fd00::1]', /is not a public address/],
  ])('refuses %s on its face', (hostname, reason) => {
    expect(nonPublicHostReason(hostname)).toMatch(reason);
  });

  it.each(['bank.example', 'callbacks.bank.example', 'localhost.bank.example', '93.184.215.14', '[2606:4700::1111]'])('lets %s through (a name is checked when resolved)', (hostname) => {
    expect(nonPublicHostReason(hostname)).toBeNull();
  });
});
