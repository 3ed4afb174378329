import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { knownError, StatusError } from '../../errors/index.js';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

// Upstream's password policy (stack-shared helpers/password.ts).
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 70;

// scrypt N=2^14, r=8, p=1: ~16 MiB and tens of milliseconds per hash, a real cost like upstream's bcrypt.
const LOG_N = 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const PREFIX = '$scrypt$';

export function checkPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw knownError('PASSWORD_TOO_SHORT', PASSWORD_MIN_LENGTH);
  if (password.length > PASSWORD_MAX_LENGTH) throw knownError('PASSWORD_TOO_LONG', PASSWORD_MAX_LENGTH);
}

function scryptOptions(logN: number, r: number, p: number) {
  return { N: 2 ** logN, r, p, maxmem: 2 ** logN * r * 256 };
}

/** PHC-style `$scrypt$ln=14,r=8,p=1$<salt b64>$<hash b64>`, never the password itself. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, scryptOptions(LOG_N, BLOCK_SIZE, PARALLELISM));
  return `${PREFIX}ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const SCRYPT_HASH = /^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;
/** Upstream's importable hashes: bcrypt in Modular Crypt Format with at most 2^16 rounds. */
const BCRYPT_HASH = /^\$2[ayb]\$(\d{2})\$.{53}$/;
const BCRYPT_MAX_ROUNDS = 16;

/** The emulator's own scrypt hashes, or an imported bcrypt hash (upstream's isPasswordHashValid). */
export function isSupportedPasswordHash(stored: string): boolean {
  if (SCRYPT_HASH.test(stored)) return true;
  const bcryptMatch = BCRYPT_HASH.exec(stored);
  return bcryptMatch !== null && Number(bcryptMatch[1]) <= BCRYPT_MAX_ROUNDS;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (BCRYPT_HASH.test(stored)) return bcrypt.compare(password, stored);
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored);
  if (!match) return false;
  const expected = Buffer.from(match[5]!, 'base64');
  const actual = await scryptAsync(
    password,
    Buffer.from(match[4]!, 'base64'),
    expected.length,
    scryptOptions(Number(match[1]), Number(match[2]), Number(match[3])),
  );
  return timingSafeEqual(actual, expected);
}

/** `password_hash` on server create/update: a bcrypt hash (as upstream imports them) or one of our own. */
export function checkImportedHash(hash: string): void {
  if (!isSupportedPasswordHash(hash)) {
    throw new StatusError(
      400,
      "Invalid password hash. Make sure it's a supported algorithm in Modular Crypt Format.",
    );
  }
}
