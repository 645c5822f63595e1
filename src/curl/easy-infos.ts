// getinfo: reading a CURLINFO value by its type.
import { readCString, readF64, readI32, readI64, readPtr, readSlist } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlOptionError } from './errors.js';
import { CURLINFO, CURLINFO_KIND } from './generated/infos.js';
import type { CertInfo, InfoName } from './option-types.js';

/** Lists that the caller must free (curl's docs for each say so). */
const OWNED_LISTS = new Set<InfoName>(['COOKIELIST', 'SSL_ENGINES']);

export function infoName(info: InfoName | number): InfoName {
  if (typeof info === 'number') {
    const entry = Object.entries(CURLINFO).find(([, value]) => value === info);
    if (!entry) throw new CurlOptionError(`libcurl-wasm: unknown info number ${info}`);
    return entry[0] as InfoName;
  }
  if (!Object.hasOwn(CURLINFO, info))
    throw new CurlOptionError(`libcurl-wasm: unknown info '${String(info)}'`);
  return info;
}

/** Reads the value curl wrote at `out` (8 bytes) for `name`. */
export function readInfo(module: CurlModule, name: InfoName, out: Ptr): unknown {
  if (name === 'CERTINFO') return readCertInfo(module, readPtr(module, out));
  switch (CURLINFO_KIND[name]) {
    case 'string':
      return readCString(module, readPtr(module, out));
    case 'long':
    case 'socket':
      return readI32(module, out);
    case 'double':
      return readF64(module, out);
    case 'off_t':
      return readI64(module, out);
    case 'slist':
      return readList(module, name, readPtr(module, out));
    case 'pointer':
      return readPtr(module, out);
  }
}

function readList(module: CurlModule, name: InfoName, list: Ptr): string[] {
  const items = readSlist(module, list);
  if (OWNED_LISTS.has(name) && list) module._curl_slist_free_all(list);
  return items;
}

// struct curl_certinfo { int num_of_certs; struct curl_slist **certinfo; }, owned by curl.
function readCertInfo(module: CurlModule, info: Ptr): CertInfo {
  if (!info) return { certs: [] };
  const count = readI32(module, info);
  const lists = readPtr(module, info + 4);
  const certs: string[][] = [];
  for (let i = 0; i < count; i++) certs.push(readSlist(module, readPtr(module, lists + i * 4)));
  return { certs };
}
