/** Crockford base32 as Stack Auth uses it (stack-shared utils/bytes.tsx): uppercase alphabet, unpadded, MSB first. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function encodeBase32(input: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of input) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += CROCKFORD[(value << (5 - bits)) & 31];
  return output;
}

export function decodeBase32(input: string): Uint8Array {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of input.toUpperCase()) {
    const index = CROCKFORD.indexOf(char);
    if (index === -1) throw new Error(`"${char}" is not a Crockford base32 character.`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

/**
 * Random lowercase base32 string with at least `minBitsOfEntropy` bits, like upstream's
 * generateSecureRandomString (224 bits → 45 chars for tokens, 80 bits → 16 chars for request ids).
 */
export function secureRandomString(minBitsOfEntropy = 224): string {
  const chars = Math.ceil(minBitsOfEntropy / 5);
  const bytes = new Uint8Array(Math.ceil((chars * 5) / 8));
  crypto.getRandomValues(bytes);
  const encoded = encodeBase32(bytes);
  return encoded.slice(encoded.length - chars).toLowerCase();
}

export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToUtf8(base64: string): string {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
