// An `http` agent served by the test itself on loopback: it takes `delayMs` to think (so the host
// shows the user it is typing), answers what `answer(turn)` returns, and records every turn. It
// also serves GET /photo.svg, a picture of 120 x 90 px at another origin than the host's, for
// media messages.

import { createServer } from 'node:http';

const kPhoto =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90" viewBox="0 0 120 90">' +
  '<rect width="120" height="90" fill="#0e7490"/><circle cx="60" cy="45" r="25" fill="#fde68a"/>' +
  '</svg>';

/** Starts listening; resolves to {url, photoUrl, turns, close()}. */
export async function startAgentEndpoint({ delayMs = 0, answer = () => ({ reply: 'ok' }) } = {}) {
  const turns = [];
  const timers = new Set();
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/photo.svg') {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
      res.end(kPhoto);
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let turn = null;
      try {
        turn = JSON.parse(raw);
      } catch {
        // not a turn: answered below with a 400
      }
      if (turn) turns.push(turn);
      const timer = setTimeout(() => {
        timers.delete(timer);
        const body = JSON.stringify(turn ? answer(turn) : { error: 'not JSON' });
        res.writeHead(turn ? 200 : 400, { 'Content-Type': 'application/json' });
        res.end(body);
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${origin}/agent`,
    photoUrl: `${origin}/photo.svg`,
    turns,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
