import type { IdentifierEntry } from '../types.js';

const REF = 'hexclave-rename.md §10';

export const SYMBOL_ENTRIES: readonly IdentifierEntry[] = [
  {
    id: 'symbol.app-internals',
    category: 'symbol-key',
    concept: 'App internals (customer-visible through the StackClientApp type surface)',
    old: 'StackAuth--DO-NOT-USE-OR-YOU-WILL-BE-FIRED--StackAppInternals',
    new: null,
    policy: 'frozen',
    sides: ['sdk', 'dashboard'],
    specRef: REF,
    notes:
      'The plan’s short name “StackAuth--app-internals” is a doc inconsistency; the real string is the long one.',
    shipped: '2.8.108 attaches internals only under the old symbol; no hexclave symbol exists.',
    planDifference:
      'Plan: dual-attach under Symbol.for("Hexclave--app-internals") too, so both resolve to the same internals.',
  },
  {
    id: 'symbol.globals',
    category: 'symbol-key',
    concept: 'Global registry on globalThis (file-private)',
    old: '__stack-globals',
    new: '__hexclave-globals',
    policy: 'rename-outright',
    sides: ['sdk'],
    specRef: REF,
    shipped: 'Renamed in 2.8.108: a 2.8.102 and a 2.8.108 copy on one page no longer share the bag.',
  },
  {
    id: 'symbol.smart-route-handler',
    category: 'symbol-key',
    concept: 'Backend route-handler marker (file-private)',
    old: 'stack-smartRouteHandler',
    new: 'hexclave-smartRouteHandler',
    policy: 'rename-outright',
    sides: ['backend'],
    specRef: REF,
  },
  {
    id: 'symbol.email-queue-first-run',
    category: 'symbol-key',
    concept: 'Backend email-queue first-run marker (file-private)',
    old: '__stack_email_queue_first_run_completed',
    new: '__hexclave_email_queue_first_run_completed',
    policy: 'rename-outright',
    sides: ['backend'],
    specRef: REF,
  },
];
