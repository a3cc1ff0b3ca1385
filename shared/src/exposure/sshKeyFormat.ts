/**
 * Tells an encrypted private key from an unencrypted one by its header alone (OpenSSH v1, PEM, PKCS#8, PuTTY).
 * An unencrypted key is usable by whoever copies it; an encrypted one still needs its passphrase cracked.
 */

/** What a key file is. */
export type PrivateKeyClass =
  | 'openssh-unencrypted'
  | 'openssh-encrypted'
  | 'pem-unencrypted'
  | 'pem-encrypted'
  | 'pkcs8-unencrypted'
  | 'pkcs8-encrypted'
  | 'putty-unencrypted'
  | 'putty-encrypted'
  | 'unknown-private-key'
  | 'not-a-private-key';

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/** Reads `string ciphername` and `string kdfname` that follow the magic in an OpenSSH v1 key. */
function openSshCipher(body: Buffer): { cipher: string; kdf: string } | undefined {
  if (body.length < OPENSSH_MAGIC.length + 8 || body.subarray(0, OPENSSH_MAGIC.length).toString('latin1') !== OPENSSH_MAGIC) return undefined;
  let offset = OPENSSH_MAGIC.length;
  const readString = (): string | undefined => {
    if (offset + 4 > body.length) return undefined;
    const length = body.readUInt32BE(offset);
    offset += 4;
    if (length > 64 || offset + length > body.length) return undefined;
    const value = body.subarray(offset, offset + length).toString('latin1');
    offset += length;
    return value;
  };
  const cipher = readString();
  const kdf = readString();
  if (cipher === undefined || kdf === undefined) return undefined;
  return { cipher, kdf };
}

/** Classifies the first few kilobytes of a file that may be a private key. */
export function classifyPrivateKey(head: string): PrivateKeyClass {
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)(?:-----END OPENSSH PRIVATE KEY-----|$)/.exec(head);
  if (openssh) {
    const body = Buffer.from((openssh[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    const header = openSshCipher(body);
    if (header === undefined) return 'unknown-private-key';
    // cipher `none` with kdf `none` is the unencrypted form; `bcrypt` kdf with a real cipher is passphrase-protected.
    return header.cipher === 'none' && header.kdf === 'none' ? 'openssh-unencrypted' : 'openssh-encrypted';
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(head)) return 'pkcs8-encrypted';
  if (/-----BEGIN PRIVATE KEY-----/.test(head)) return 'pkcs8-unencrypted';
  const pem = /-----BEGIN (?:RSA|DSA|EC) PRIVATE KEY-----([\s\S]{0,400})/.exec(head);
  if (pem) return /Proc-Type:\s*4,\s*ENCRYPTED/i.test(pem[1] ?? '') ? 'pem-encrypted' : 'pem-unencrypted';
  const putty = /^PuTTY-User-Key-File-\d+:[^\n]*\r?\nEncryption:\s*(\S+)/m.exec(head);
  if (putty) return putty[1] === 'none' ? 'putty-unencrypted' : 'putty-encrypted';
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(head)) return 'unknown-private-key';
  return 'not-a-private-key';
}

/** True for the classes a thief can use without a passphrase. */
export function isUnencryptedKey(keyClass: PrivateKeyClass): boolean {
  return keyClass.endsWith('-unencrypted');
}
