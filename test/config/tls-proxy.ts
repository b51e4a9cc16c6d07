import { connect, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';

/**
 * TLS in front of the real dev server, as a load balancer or Temporal Cloud's ingress would be:
 * it terminates TLS (and requires a client certificate signed by `ca`, i.e. mTLS), then passes
 * the HTTP/2 bytes on to the plaintext server unchanged. It counts the handshakes it accepted.
 */
export interface TlsProxy {
  address: string;
  accepted: number;
  close(): Promise<void>;
}

export async function startTlsProxy(target: string, pem: { cert: string; key: string; ca: string }): Promise<TlsProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const proxy: TlsProxy = { address: '', accepted: 0, close: () => new Promise((resolve) => server.close(() => resolve())) };
  const server: Server = createServer(
    { cert: pem.cert, key: pem.key, ca: pem.ca, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      proxy.accepted += 1;
      const upstream = connect(port, host);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      upstream.on('error', end);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
