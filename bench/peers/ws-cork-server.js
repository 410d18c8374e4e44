// `ws` with coalescing (W6): the plain broadcast server (ws-server.js), except that each
// member's socket is corked at its first frame of a turn of the event loop and uncorked once the
// turn's I/O is done (setImmediate), so what one turn sends to one member leaves in one write
// (Node's writev). It separates what writing what is queued at once gives from what a cheaper
// delivery path gives. Usage: node ws-cork-server.js PORT; attendees connect to /?room=R, a
// publisher to /?publish=1 and sends {"room": R, "payload": {...}}; /?stats=1 answers with the
// frames sent and the writes they took.
'use strict';
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 9001);
const rooms = new Map();
const corked = new Set();
let frames = 0;
let writes = 0;
function uncorkAll() {
  for (const socket of corked) {
    socket.uncork();
    writes += 1;
  }
  corked.clear();
}
function send(member, text) {
  const socket = member._socket;
  if (!corked.has(socket)) {
    if (corked.size === 0) setImmediate(uncorkAll);
    socket.cork();
    corked.add(socket);
  }
  frames += 1;
  member.send(text);
}
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('connection', (socket, req) => {
  const url = new URL(req.url, 'http://x');
  if (url.searchParams.get('publish')) {
    socket.on('message', (data) => {
      const { room, payload } = JSON.parse(data);
      const text = JSON.stringify(payload);
      for (const member of rooms.get(room) || []) send(member, text);
    });
    return;
  }
  if (url.searchParams.get('stats')) {
    socket.send(JSON.stringify({ frames, writes }));
    return;
  }
  const room = url.searchParams.get('room') || 'main';
  if (!rooms.has(room)) rooms.set(room, new Set());
  rooms.get(room).add(socket);
  socket.on('close', () => rooms.get(room).delete(socket));
  socket.on('error', () => {});
  socket.send(JSON.stringify({ joined: room }));
});
wss.on('listening', () => console.log(`listening on ${port}`));
