/**
 * The only place attack fixtures may send what they "steal": an HTTP server and a DNS stub, both on
 * 127.0.0.1 at kernel-chosen ports, that record every contact. Fixtures use three channels, as real
 * stealers do: an HTTP POST body, base64url in a GET path, and hex labels in a DNS query name
 * (`<hex>.<hex>.<attack>.exfil.test`). Each contact is decoded so a test can ask "did any canary byte
 * arrive?" rather than "did anything arrive?" — and it can ask both.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a contact reached the listener. */
export type Channel = 'http-post' | 'http-get' | 'dns';

/** One recorded contact. `decoded` is the payload after undoing the channel's encoding. */
export interface Contact {
  channel: Channel;
  /** Attack id the fixture put in its URL path or DNS name; `undefined` when it named none. */
  attack: string | undefined;
  /** Bytes as they arrived (body, path or query name). */
  raw: string;
  decoded: string;
  at: number;
}

/** The DNS suffix fixtures query under; the stub answers NXDOMAIN for everything. */
export const EXFIL_DNS_SUFFIX = 'exfil.test';

function decodeBase64Url(text: string): string {
  try {
    return Buffer.from(text, 'base64url').toString('utf8');
  } catch {
    return '';
  }
}

function decodeHex(text: string): string {
  return /^(?:[0-9a-f]{2})+$/i.test(text) ? Buffer.from(text, 'hex').toString('utf8') : '';
}

/** Query name from a DNS message, or undefined when it is not a well-formed single question. */
export function parseDnsQuestion(msg: Buffer): { id: number; name: string; end: number } | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  // Uncompressed labels only: a query has no earlier name to point back to.
  for (let guard = 0; guard < 128; guard += 1) {
    const len = msg[at];
    if (len === undefined || len > 63) return undefined;
    at += 1;
    if (len === 0) return { id: msg.readUInt16BE(0), name: labels.join('.'), end: at + 4 };
    if (at + len > msg.length) return undefined;
    labels.push(msg.subarray(at, at + len).toString('latin1'));
    at += len;
  }
  return undefined;
}

function nxdomain(msg: Buffer, questionEnd: number): Buffer {
  const reply = Buffer.from(msg.subarray(0, Math.min(questionEnd, msg.length)));
  reply.writeUInt16BE(0x8183, 2); // response, recursion desired+available, rcode 3 (NXDOMAIN)
  reply.writeUInt16BE(1, 4);
  reply.writeUInt32BE(0, 6);
  reply.writeUInt16BE(0, 10);
  return reply;
}

/** Running listener; `close()` it when the test ends. */
export class CanaryListener {
  readonly contacts: Contact[] = [];
  private readonly events = new EventEmitter();

  private constructor(private readonly http: Server, private readonly dns: Socket) {}

  /** Starts both servers on 127.0.0.1 (never another interface). */
  static async start(): Promise<CanaryListener> {
    const http = createServer();
    const dns = createSocket('udp4');
    const listener = new CanaryListener(http, dns);
    http.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        const parts = url.split('?')[0]!.split('/').filter((p) => p.length > 0);
        if (req.method === 'POST') {
          const body = Buffer.concat(chunks).toString('utf8');
          listener.record({ channel: 'http-post', attack: parts[0] === 'post' ? parts[1] : undefined, raw: body, decoded: body });
        } else {
          const attack = parts[0] === 'get' ? parts[1] : undefined;
          const data = parts[0] === 'get' ? parts.slice(2).join('') : parts.join('/');
          listener.record({ channel: 'http-get', attack, raw: url, decoded: `${decodeBase64Url(data)}\n${url}` });
        }
        res.writeHead(204).end();
      });
    });
    dns.on('message', (msg, rinfo) => {
      const q = parseDnsQuestion(msg);
      if (!q) return;
      const labels = q.name.split('.');
      const suffixAt = q.name.toLowerCase().endsWith(`.${EXFIL_DNS_SUFFIX}`) ? labels.length - 3 : -1;
      const attack = suffixAt >= 0 ? labels[suffixAt] : undefined;
      const data = suffixAt >= 0 ? labels.slice(0, suffixAt).join('') : '';
      listener.record({ channel: 'dns', attack, raw: q.name, decoded: `${decodeHex(data)}\n${q.name}` });
      dns.send(nxdomain(msg, q.end), rinfo.port, rinfo.address);
    });
    http.listen(0, '127.0.0.1');
    dns.bind(0, '127.0.0.1');
    await Promise.all([once(http, 'listening'), once(dns, 'listening')]);
    return listener;
  }

  /** Port of the HTTP receiver. */
  get httpPort(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** Port of the DNS stub (UDP). */
  get dnsPort(): number {
    return this.dns.address().port;
  }

  private record(contact: Omit<Contact, 'at'>): void {
    const full: Contact = { ...contact, at: Date.now() };
    this.contacts.push(full);
    this.events.emit('contact', full);
  }

  /** Contacts naming this attack id (all contacts when `attack` is undefined). */
  contactsFor(attack?: string, since = 0): Contact[] {
    return this.contacts.filter((c) => c.at >= since && (attack === undefined || c.attack === attack));
  }

  /** Total decoded bytes of the contacts that carry any of `canaries`, and their channels. */
  canaryBytes(contacts: readonly Contact[], canaries: readonly string[]): { bytes: number; channels: Channel[] } {
    let bytes = 0;
    const channels = new Set<Channel>();
    for (const c of contacts) {
      if (canaries.some((canary) => c.decoded.includes(canary) || c.raw.includes(canary))) {
        bytes += Buffer.byteLength(c.decoded);
        channels.add(c.channel);
      }
    }
    return { bytes, channels: [...channels].sort() };
  }

  /**
   * Resolves true as soon as a contact matches, false after `timeoutMs`. For the rare fixture that
   * reports from a detached process; everything else has arrived by the time its installer exits.
   */
  waitFor(match: (c: Contact) => boolean, timeoutMs: number): Promise<boolean> {
    if (this.contacts.some(match)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onContact = (c: Contact): void => {
        if (!match(c)) return;
        clearTimeout(timer);
        this.events.off('contact', onContact);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.events.off('contact', onContact);
        resolve(false);
      }, timeoutMs);
      this.events.on('contact', onContact);
    });
  }

  /** Stops both servers. */
  async close(): Promise<void> {
    this.http.closeAllConnections();
    await Promise.all([
      new Promise<void>((resolve) => this.http.close(() => resolve())),
      new Promise<void>((resolve) => this.dns.close(() => resolve())),
    ]);
  }
}
