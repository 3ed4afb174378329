/**
 * Facts about the Stack Auth / Hexclave internal database shared by the emulator (which owns a copy of the
 * schema) and the sync engine (which reads any such database). Names are upstream's (stack-sync.md §1).
 */

/** Channel the emulator's change-capture triggers NOTIFY on; the sync engine LISTENs to wake immediately. */
export const INTERNAL_CHANGE_CHANNEL = 'hexclave_internal_change';

/** Upstream's global sequence: START 1 INCREMENT 11, shared by every sequenced table. */
export const GLOBAL_SEQUENCE = 'global_seq_id';
export const GLOBAL_SEQUENCE_INCREMENT = 11;

/**
 * Session settings the emulator's change-capture triggers read (migration 0010). The sync engine's sequencer sets
 * the first in its own transactions: its stamps are not changes to capture. A session that sets the second writes
 * as upstream's backend does — rows are flagged for a sequencer instead of stamped on write (tests of the
 * sequencer path, a benchmark's never-synced project).
 */
export const SEQUENCER_SETTING = 'hexclave.sequencer';
export const DEFER_STAMPS_SETTING = 'hexclave.defer_stamps';
