// The usual choice: Socket.IO with its Redis adapter, so several processes share rooms.
// Usage: node sio-server.js PORT REDIS_URL. Attendees connect (WebSocket transport), emit
// "join" with a room and get "joined"; a publisher emits "publish" {room, payload}; everyone in
// the room, on every process, gets "update" with the payload.
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');
const port = Number(process.argv[2] || 9002);
const redisUrl = process.argv[3] || 'redis://127.0.0.1:6379';

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], adapter: createAdapter(pub, sub) });
  io.on('connection', (socket) => {
    socket.on('join', (room) => {
      socket.join(room);
      socket.emit('joined', room);
    });
    socket.on('publish', ({ room, payload }) => io.to(room).emit('update', payload));
  });
  http.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
}
main().catch((e) => { console.error(e); process.exit(1); });
