import { connect, isIPv4, type Socket } from 'node:net';
import type { Connection } from 'ssh2';

/** Loopback only: the lab must never become a way out to the network. */
export function isLabForwardTarget(host: string): boolean {
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Lets a device act as a jump host (`ssh -J`): each direct-tcpip channel is piped to the requested
 * loopback address and port, usually another lab device. The upstream socket is reported through
 * `track` so stopping the lab closes it with the device's own connections.
 */
export function acceptDirectTcpip(connection: Connection, track: (socket: Socket) => void): void {
  connection.on('tcpip', (accept, reject, info) => {
    if (!isLabForwardTarget(info.destIP)) {
      reject();
      return;
    }
    const upstream = connect({ host: info.destIP, port: info.destPort, noDelay: true });
    track(upstream);
    upstream.once('error', () => reject());
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      let channel: ReturnType<typeof accept>;
      try {
        channel = accept();
      } catch {
        // The client went away while the upstream connection was being made.
        upstream.destroy();
        return;
      }
      upstream.on('error', () => channel.destroy());
      channel.on('error', () => upstream.destroy());
      channel.on('close', () => upstream.destroy());
      upstream.on('close', () => channel.destroy());
      channel.pipe(upstream).pipe(channel);
    });
  });
}
