/**
 * The echo baseline: a bare `ws` server that sends every text frame straight back to its sender.
 * It shows what the machine, Node and `ws` can carry with the same generator, so the chat
 * server's figures can be read as a fraction of that ceiling. Runs as its own child process
 * (its CPU and RSS are measured like the chat server's); prints `listening <port>`.
 */
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
  });
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(`listening ${String(typeof address === 'object' && address !== null ? address.port : address)}`);
});
const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
