import net from 'node:net';

/** Raw bytes of one TCP connection through the tap, per direction. */
export interface TappedConnection {
  readonly fromClient: Buffer[];
  readonly fromServer: Buffer[];
}

export interface TcpTap {
  readonly url: string;
  readonly connections: TappedConnection[];
  stop(): Promise<void>;
}

/** A byte-level recorder between a client and `target` (host:port): proves what really went over the wire. */
export async function startTcpTap(target: string): Promise<TcpTap> {
  const { hostname, port } = new URL(target);
  const connections: TappedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const record: TappedConnection = { fromClient: [], fromServer: [] };
    connections.push(record);
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (chunk) => {
      record.fromClient.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      record.fromServer.push(chunk);
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Send raw request bytes and collect everything the server answers until it closes the connection. */
export function rawRequest(url: string, bytes: string): Promise<Buffer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

export interface ParsedHttpMessage {
  /** Start line and header lines exactly as sent. */
  readonly head: string;
  readonly body: Buffer;
}

/** Split an HTTP/1.1 message into its head and its (de-chunked) body. */
export function parseHttpMessage(raw: Buffer): ParsedHttpMessage {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end).toString('latin1');
  let body = raw.subarray(end + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { head, body };
}
