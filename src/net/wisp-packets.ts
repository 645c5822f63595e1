// The Wisp wire format (v1 and v2), shared by the client transport and the proxy server.
// Every packet is one binary WebSocket message: type (u8), stream id (u32), payload; all
// integers little-endian; stream 0 is the connection itself.

export const PACKET = {
  CONNECT: 0x01,
  DATA: 0x02,
  CONTINUE: 0x03,
  CLOSE: 0x04,
  INFO: 0x05,
} as const;

export const STREAM_TYPE = { TCP: 0x01, UDP: 0x02 } as const;

/** v2 protocol extensions, by id. */
export const EXTENSION = {
  UDP: 0x01,
  PASSWORD: 0x02,
  MOTD: 0x04,
  STREAM_CONFIRMATION: 0x05,
} as const;

/** The subprotocol a v2 client offers, so that servers that gate v2 on it answer with INFO. */
export const V2_SUBPROTOCOL = 'wisp-v2';

const HEADER = 5;

export interface Packet {
  type: number;
  stream: number;
  payload: Uint8Array;
}

export interface Extension {
  id: number;
  data: Uint8Array;
}

export interface Info {
  major: number;
  minor: number;
  extensions: Extension[];
}

export interface ConnectRequest {
  streamType: number;
  port: number;
  host: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodePacket(type: number, stream: number, payload: Uint8Array): Uint8Array {
  const packet = new Uint8Array(HEADER + payload.length);
  packet[0] = type;
  view(packet).setUint32(1, stream, true);
  packet.set(payload, HEADER);
  return packet;
}

/** The packet in `bytes`, or null when it is too short to be one. */
export function decodePacket(bytes: Uint8Array): Packet | null {
  if (bytes.length < HEADER) return null;
  return {
    type: bytes[0]!,
    stream: view(bytes).getUint32(1, true),
    payload: bytes.subarray(HEADER),
  };
}

export function encodeConnect(stream: number, host: string, port: number): Uint8Array {
  const name = encoder.encode(host);
  const payload = new Uint8Array(3 + name.length);
  payload[0] = STREAM_TYPE.TCP;
  view(payload).setUint16(1, port, true);
  payload.set(name, 3);
  return encodePacket(PACKET.CONNECT, stream, payload);
}

/** A CONNECT payload, or null when it is malformed (short, or a name that is not UTF-8). */
export function decodeConnect(payload: Uint8Array): ConnectRequest | null {
  if (payload.length < 3) return null;
  try {
    const host = decoder.decode(payload.subarray(3));
    return { streamType: payload[0]!, port: view(payload).getUint16(1, true), host };
  } catch {
    return null;
  }
}

export function encodeData(stream: number, bytes: Uint8Array): Uint8Array {
  return encodePacket(PACKET.DATA, stream, bytes);
}

export function encodeContinue(stream: number, credit: number): Uint8Array {
  const payload = new Uint8Array(4);
  view(payload).setUint32(0, credit, true);
  return encodePacket(PACKET.CONTINUE, stream, payload);
}

/** A CONTINUE's buffer credit, or null when the payload is short. */
export function decodeContinue(payload: Uint8Array): number | null {
  return payload.length < 4 ? null : view(payload).getUint32(0, true);
}

export function encodeClose(stream: number, reason: number): Uint8Array {
  return encodePacket(PACKET.CLOSE, stream, Uint8Array.of(reason));
}

/** A CLOSE's reason; a payload without one counts as "unspecified" (0x01). */
export function decodeClose(payload: Uint8Array): number {
  return payload[0] ?? 0x01;
}

export function encodeInfo(info: Info): Uint8Array {
  const size = info.extensions.reduce((sum, ext) => sum + 5 + ext.data.length, 2);
  const payload = new Uint8Array(size);
  payload[0] = info.major;
  payload[1] = info.minor;
  let at = 2;
  for (const ext of info.extensions) {
    payload[at] = ext.id;
    view(payload).setUint32(at + 1, ext.data.length, true);
    payload.set(ext.data, at + 5);
    at += 5 + ext.data.length;
  }
  return encodePacket(PACKET.INFO, 0, payload);
}

/** An INFO payload, or null when an extension's length runs past the end. */
export function decodeInfo(payload: Uint8Array): Info | null {
  if (payload.length < 2) return null;
  const extensions: Extension[] = [];
  for (let at = 2; at < payload.length;) {
    if (at + 5 > payload.length) return null;
    const length = view(payload).getUint32(at + 1, true);
    if (at + 5 + length > payload.length) return null;
    extensions.push({ id: payload[at]!, data: payload.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return { major: payload[0]!, minor: payload[1]!, extensions };
}

export interface Credentials {
  username: string;
  password: string;
}

/** The client's password extension data: username length (u8), password length (u16), both. */
export function encodePassword({ username, password }: Credentials): Uint8Array {
  const user = encoder.encode(username);
  const pass = encoder.encode(password);
  if (user.length > 0xff || pass.length > 0xffff) {
    throw new RangeError('libcurl-wasm: Wisp allows 255 bytes of username and 65535 of password');
  }
  const data = new Uint8Array(3 + user.length + pass.length);
  data[0] = user.length;
  view(data).setUint16(1, pass.length, true);
  data.set(user, 3);
  data.set(pass, 3 + user.length);
  return data;
}

export function decodePassword(data: Uint8Array): Credentials | null {
  if (data.length < 3) return null;
  const userEnd = 3 + data[0]!;
  const passEnd = userEnd + view(data).getUint16(1, true);
  if (passEnd > data.length) return null;
  try {
    return {
      username: decoder.decode(data.subarray(3, userEnd)),
      password: decoder.decode(data.subarray(userEnd, passEnd)),
    };
  } catch {
    return null;
  }
}
