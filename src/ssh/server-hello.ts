/** What a server says before any encryption: its identification line and its KEXINIT lists. */
export interface ServerHello {
  ident: string;
  kex: string[];
  serverHostKey: string[];
  cipher: string[];
  hmac: string[];
}

const MAX_HELLO_BYTES = 64 * 1024;
const SSH_MSG_KEXINIT = 20;

/**
 * Watches the first bytes a server sends, to time the banner phase and to learn which algorithms
 * it offers (so a failed negotiation can say what the server wanted). It reads a copy of the data
 * ssh2 parses; it never consumes anything.
 */
export class ServerHelloSniffer {
  private buffer: Buffer = Buffer.alloc(0);
  private identEnd = -1;
  ident: string | undefined;
  hello: ServerHello | undefined;
  done = false;

  constructor(private readonly onIdent: (ident: string) => void) {}

  push(chunk: Buffer): void {
    if (this.done) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.ident === undefined) this.findIdent();
    if (this.ident !== undefined) this.parseKexinit();
    if (this.buffer.length > MAX_HELLO_BYTES) this.done = true;
  }

  private findIdent(): void {
    let lineStart = 0;
    for (;;) {
      const nl = this.buffer.indexOf(0x0a, lineStart);
      if (nl === -1) return;
      const line = this.buffer.toString('latin1', lineStart, nl).replace(/\r$/, '');
      lineStart = nl + 1;
      if (line.startsWith('SSH-')) {
        this.ident = line;
        this.identEnd = lineStart;
        this.onIdent(line);
        return;
      }
    }
  }

  private parseKexinit(): void {
    const packet = this.buffer.subarray(this.identEnd);
    if (packet.length < 5) return;
    const packetLength = packet.readUInt32BE(0);
    if (packet.length < 4 + packetLength) return;
    this.done = true;
    const payload = packet.subarray(5, 4 + packetLength);
    if (payload[0] !== SSH_MSG_KEXINIT || this.ident === undefined) return;
    const lists: string[][] = [];
    let offset = 1 + 16; // message type + cookie
    for (let i = 0; i < 6 && offset + 4 <= payload.length; i++) {
      const len = payload.readUInt32BE(offset);
      offset += 4;
      const text = payload.toString('latin1', offset, offset + len);
      offset += len;
      lists.push(text ? text.split(',') : []);
    }
    if (lists.length < 6) return;
    // KEXINIT order: kex, host key, cipher c2s, cipher s2c, mac c2s, mac s2c
    this.hello = {
      ident: this.ident,
      kex: lists[0] ?? [],
      serverHostKey: lists[1] ?? [],
      cipher: lists[2] ?? [],
      hmac: lists[4] ?? [],
    };
  }
}
