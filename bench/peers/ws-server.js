// The plain choice: a `ws` server that broadcasts what a publisher sends to everyone in a room.
// Usage: node ws-server.js PORT. Attendees connect to /?room=R; a publisher connects to
// /?publish=1 and sends {"room": R, "payload": {...}}; each payload is serialised once and sent
// to every member of the room. One process, no scale-out (ws has none of its own).
'use strict';
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 9001);
const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
wss.on('connection', (socket, req) => {
  const url = new URL(req.url, 'http://x');
  if (url.searchParams.get('publish')) {
    socket.on('message', (data) => {
      const { room, payload } = JSON.parse(data);
      const text = JSON.stringify(payload);
      for (const member of rooms.get(room) || []) member.send(text);
    });
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
