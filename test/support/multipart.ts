// A small multipart/form-data reader for checking what curl sent, byte for byte.

export interface ReceivedPart {
  /** Header lines of the part, names in lower case. */
  headers: Record<string, string>;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=("?)([^";]+)\1/.exec(contentType ?? '');
  if (!match) throw new Error(`no boundary in content-type '${contentType}'`);
  return match[2]!;
}

/** The parts of `body`, delimited by `boundary` as RFC 2046 says. */
export function parseMultipart(body: Buffer, boundary: string): ReceivedPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  const parts: ReceivedPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('no first boundary');
  at += delimiter.length;
  while (body.subarray(at, at + 2).toString() !== '--') {
    const start = at + 2; // the CRLF after the boundary
    const end = body.indexOf(between, start);
    if (end < 0) throw new Error('a part does not end');
    parts.push(readPart(body.subarray(start, end)));
    at = end + between.length;
  }
  return parts;
}

function readPart(raw: Buffer): ReceivedPart {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.subarray(0, split).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, data: raw.subarray(split + 4) };
}
