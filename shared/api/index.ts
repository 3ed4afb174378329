export * from './client.js';
export * from './contract.js';
export * from './ipc-channels.js';
export * from './mail-schemas.js';
export * from './schemas.js';
