import { peerAddress } from '../../../src/a2a/grpc-calls';

/** A gRPC call's peer, as grpc-js words it, becomes the address a Caller records (as over HTTP). */
describe('peerAddress', () => {
  test.each([
    ['ipv4:127.0.0.1:53412', '127.0.0.1'],
    ['127.0.0.1:53412', '127.0.0.1'],
    ['ipv6:[::1]:53412', '::1'],
    ['[::ffff:10.0.0.7]:80', '::ffff:10.0.0.7'],
    ['unix:/tmp/a2a.sock', '/tmp/a2a.sock'],
    ['', null],
  ])('%s → %s', (peer, address) => {
    expect(peerAddress(peer)).toBe(address);
  });
});
