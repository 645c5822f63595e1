// One log entry per stream when it closes (who, where, bytes each way, why it ended), and one
// per connection the proxy turned away; as a line of text or of JSON.

export interface StreamLogEntry {
  kind: 'stream';
  time: string;
  /** The client's address, and the Wisp username when there is one. */
  client: string;
  user?: string;
  protocol: 'wisp-v1' | 'wisp-v2' | 'websockify';
  /** The Wisp stream id (none for websockify-style). */
  stream?: number;
  /** What the client asked for, and the address the proxy connected to. */
  target: string;
  address?: string;
  /** Client to destination, and back. */
  up: number;
  down: number;
  ms: number;
  /** Why it ended, in words; and the Wisp close reason sent, if any. */
  closed: string;
  reason?: number;
}

export interface ConnectionLogEntry {
  kind: 'connection';
  time: string;
  client: string;
  path: string;
  refused: string;
}

export type ProxyLogEntry = StreamLogEntry | ConnectionLogEntry;

export function formatText(entry: ProxyLogEntry): string {
  if (entry.kind === 'connection') {
    return `${entry.time} ${entry.client} refused ${entry.path}: ${entry.refused}`;
  }
  const who = entry.user ? `${entry.client} (${entry.user})` : entry.client;
  const via = entry.stream === undefined ? entry.protocol : `${entry.protocol}#${entry.stream}`;
  const where =
    entry.address && entry.address !== entry.target.replace(/:\d+$/, '')
      ? `${entry.target} [${entry.address}]`
      : entry.target;
  return (
    `${entry.time} ${who} ${via} ${where} up ${entry.up} down ${entry.down} ` +
    `${entry.ms} ms: ${entry.closed}`
  );
}

export function formatJson(entry: ProxyLogEntry): string {
  return JSON.stringify(entry);
}
