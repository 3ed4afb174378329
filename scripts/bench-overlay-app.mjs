// The benchmark's stand-in for a developer's app and its backend (scripts/bench-overlay.ts), in its own process.
import { createServer } from 'node:http';

let pages = {};
let overlay = '';
const server = createServer((req, res) => {
  if (pages[req.url]) {
    res.writeHead(200, { 'content-type': 'text/html' }).end(pages[req.url]);
  } else if (req.url === '/overlay.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(overlay);
  } else {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"user-1","primary_email":"a@b.c"}');
  }
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('message', (message) => {
  ({ pages, overlay } = message);
  process.send('ready');
});
process.on('disconnect', () => process.exit(0));
