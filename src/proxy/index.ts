// The proxy server's public face: startProxy, its options and log entries, and the decision
// functions, for operators who want to check a destination the way the proxy would.
export { startProxy } from './server.js';
export type { RunningProxy } from './server.js';
export type { ProxyOptions } from './options.js';
export type { ProxyLogEntry, StreamLogEntry, ConnectionLogEntry } from './stream-log.js';
export { formatJson, formatText } from './stream-log.js';
export { ADDRESS_CATEGORIES } from './address-rules.js';
export type { AddressCategory } from './address-rules.js';
export { checkTarget, judgeAddress, systemLookup } from './target-policy.js';
export type { AddressVerdict, Lookup, TargetPolicy, TargetVerdict } from './target-policy.js';
export { parseIp, formatIp } from './ip-literal.js';
