/**
 * URLs whose host is not a public address (loopback, private, carrier-grade NAT, link-local and cloud metadata,
 * unspecified, IPv4-mapped IPv6, unique-local, `localhost` in its spellings and disguised IPv4 forms): what the
 * callback and webhook-subscription routes must refuse while OUTBOUND_ALLOW_PRIVATE_NETWORKS is off.
 */
export const NOT_PUBLIC_URLS = [
  'http://127.0.0.1:8080/cb',
  'http://localhost/cb',
  'http://LOCALHOST./cb',
  'http://api.localhost:3000/cb',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.7:8080/hook',
  'http://172.20.1.1/hook',
  'http://192.168.1.10/hook',
  'http://100.64.0.1/hook',
  'http://0.0.0.0:8080/hook',
  'http://0x7f.1/hook',
  'http://2130706433/hook',
  'http://[::1]:8080/hook',
  'http://[::]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:169.254.169.254]/hook',
  'http://[fd00::1]/hook',
  'http://[fe80::1]/hook',
];
