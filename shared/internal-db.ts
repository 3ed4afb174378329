/**
 * Facts about the Stack Auth / Hexclave internal database shared by the emulator (which owns a copy of the
 * schema) and the sync engine (which reads any such database). Names are upstream's (stack-sync.md §1).
 */

/** Channel the emulator's change-capture triggers NOTIFY on; the sync engine LISTENs to wake immediately. */
export const INTERNAL_CHANGE_CHANNEL = 'hexclave_internal_change';

/** Upstream's global sequence: START 1 INCREMENT 11, shared by every sequenced table. */
export const GLOBAL_SEQUENCE = 'global_seq_id';
export const GLOBAL_SEQUENCE_INCREMENT = 11;
