// The `ws` package's WebSocket client on Node, for scale in the WebSocket scenarios only:
// Node 20 has no WebSocket client of its own.
import WebSocket from 'ws';
import { peerAnswer, targetsFromEnv, type PeerRuns } from '../scenarios.js';
import { echoRate, pushRate, type EchoSocket } from './ws-echo.js';

const targets = targetsFromEnv();

async function withSocket(exchange: (socket: EchoSocket) => Promise<number>): Promise<number> {
  const ws = new WebSocket(targets.wsEcho);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const rate = await exchange({
    send: (message) => ws.send(message),
    onMessage: (listener) => ws.on('message', (data: Buffer) => listener(data.length)),
  });
  ws.close();
  return rate;
}

const run: PeerRuns = {
  'ws-echo': () => withSocket((socket) => echoRate(socket, false)),
  'ws-echo-pipelined': () => withSocket((socket) => echoRate(socket, true)),
  'ws-push-100mb': () => withSocket(pushRate),
};

console.log(await peerAnswer(run, process.argv[2]));
process.exit(0);
