import { expect, it } from 'vitest';
import { loadCurl } from '../src/index.js';

it('reports the pinned versions and the features of the build', async () => {
  const curl = await loadCurl();
  const v = curl.version();
  expect(v.version).toBe('8.14.1');
  expect(v.ssl).toBe('mbedTLS/3.6.6');
  expect(v.nghttp2).toBe('1.64.0');
  expect(v.libz).toBe('1.3.1');
  expect(v.brotli).toBe('brotli/1.1.0');
  expect(v.zstd).toBe('zstd/1.5.7');
  expect(v.protocols).toEqual(expect.arrayContaining(['http', 'https', 'ws', 'wss']));
  expect(v.featureNames).toEqual(
    expect.arrayContaining(['HTTP2', 'SSL', 'libz', 'brotli', 'zstd', 'IPv6', 'HSTS', 'alt-svc']),
  );
});

it('embeds Mozilla root certificates', async () => {
  const curl = await loadCurl();
  const pem = curl.caBundle();
  const count = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  expect(count).toBeGreaterThan(100);
});
