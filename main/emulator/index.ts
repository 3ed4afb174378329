/** Public surface of the local emulator. */
export * from './db/index.js';
