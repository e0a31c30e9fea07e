import http from 'node:http';

/** The ceiling: a bare node:http server answering a fixed small JSON, the limit of this machine's HTTP stack. */
const body = JSON.stringify({ ok: true });
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  })
  .listen(Number(process.env['PORT']), '127.0.0.1', () => console.log('ready'));
