// The Wisp wire format and the websockify-style path format, byte for byte.
import { describe, expect, it } from 'vitest';
import { defaultPath } from '../src/net/websockify.js';
import {
  decodeClose,
  decodeConnect,
  decodeContinue,
  decodeInfo,
  decodePacket,
  decodePassword,
  encodeClose,
  encodeConnect,
  encodeContinue,
  encodeInfo,
  encodePassword,
} from '../src/net/wisp-packets.js';
import { closeReasonError } from '../src/net/wisp-reasons.js';
import { parseTargetPath } from '../src/proxy/websockify-server.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Wisp packets', () => {
  it('encodes CONNECT, CONTINUE and CLOSE little-endian, after a type and stream id', () => {
    expect(hex(encodeConnect(0x01020304, 'a.b', 443))).toBe(
      '01' + '04030201' + '01' + 'bb01' + '612e62',
    );
    expect(hex(encodeContinue(7, 128))).toBe('03' + '07000000' + '80000000');
    expect(hex(encodeClose(7, 0x44))).toBe('04' + '07000000' + '44');
  });

  it('decodes what it encodes, and refuses what is malformed', () => {
    const packet = decodePacket(encodeConnect(9, 'example.test', 80))!;
    expect(packet).toMatchObject({ type: 1, stream: 9 });
    expect(decodeConnect(packet.payload)).toEqual({
      streamType: 1,
      port: 80,
      host: 'example.test',
    });
    expect(decodePacket(new Uint8Array(4))).toBeNull();
    expect(decodeConnect(Uint8Array.of(1, 80))).toBeNull();
    expect(decodeConnect(Uint8Array.of(1, 80, 0, 0xff))).toBeNull();
    expect(decodeContinue(decodePacket(encodeContinue(1, 70000))!.payload)).toBe(70000);
    expect(decodeContinue(Uint8Array.of(1))).toBeNull();
    expect(decodeClose(new Uint8Array(0))).toBe(0x01);
  });

  it('carries INFO extensions and the password extension', () => {
    const password = encodePassword({ username: 'alice', password: 'pässword' });
    const info = encodeInfo({
      major: 2,
      minor: 0,
      extensions: [
        { id: 5, data: new Uint8Array(0) },
        { id: 2, data: password },
      ],
    });
    expect(hex(info.subarray(0, 7))).toBe('05' + '00000000' + '0200');
    const decoded = decodeInfo(decodePacket(info)!.payload)!;
    expect(decoded.extensions.map((e) => e.id)).toEqual([5, 2]);
    expect(decodePassword(decoded.extensions[1]!.data)).toEqual({
      username: 'alice',
      password: 'pässword',
    });
    expect(decodeInfo(Uint8Array.of(2, 0, 1, 9, 0, 0, 0))).toBeNull();
  });

  it('turns close reasons into errors a person can read, with errno-like codes', () => {
    const target = { host: 'no.test', port: 80 };
    const context = { target, via: 'wisp ws://p/', unconfirmed: false };
    expect(closeReasonError(0x42, context)).toMatchObject({
      code: 'ENOTFOUND',
      connectFailure: true,
      message: expect.stringContaining('could not resolve'),
    });
    expect(
      closeReasonError(0x42, { ...context, target: { host: '10.0.0.1', port: 80 } }),
    ).toMatchObject({ code: 'EHOSTUNREACH' });
    expect(closeReasonError(0x44, context)).toMatchObject({
      code: 'ECONNREFUSED',
      connectFailure: true,
    });
    expect(closeReasonError(0x48, context)).toMatchObject({
      code: 'EACCES',
      message: expect.stringContaining('blocks'),
    });
    expect(closeReasonError(0x49, context)).toMatchObject({ code: 'EBUSY', connectFailure: false });
    expect(closeReasonError(0x49, { ...context, unconfirmed: true })).toMatchObject({
      connectFailure: true,
    });
    expect(closeReasonError(0x43, context)).toMatchObject({ code: 'ETIMEDOUT' });
    expect(closeReasonError(0x41, context)).toMatchObject({ code: 'EINVAL' });
    expect(closeReasonError(0x99, context).message).toContain('close reason 0x99');
  });
});

describe('websockify-style paths', () => {
  it('puts host:port after the base path, IPv6 in brackets, keeping the query', () => {
    const base = new URL('wss://proxy.example/ws/?token=t');
    expect(defaultPath(base, { host: 'example.org', port: 443 }).href).toBe(
      'wss://proxy.example/ws/example.org:443?token=t',
    );
    expect(defaultPath(new URL('ws://p:1'), { host: '::1', port: 80 }).href).toBe(
      'ws://p:1/[::1]:80',
    );
  });

  it('reads them back on the proxy, percent-encoded or not', () => {
    expect(parseTargetPath('example.org:443')).toEqual({ host: 'example.org', port: 443 });
    expect(parseTargetPath('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseTargetPath('%5B%3A%3A1%5D%3A80')).toEqual({ host: '::1', port: 80 });
    expect(parseTargetPath('example.org')).toBeNull();
    expect(parseTargetPath('a/b:80')).toBeNull();
  });
});
