/** The only two IPC channels: every API call goes through one, every event through the other. */
export const IPC_RPC_CHANNEL = 'hexclave:rpc';
export const IPC_EVENT_CHANNEL = 'hexclave:event';
