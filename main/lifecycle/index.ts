export {
  awaitShutdown,
  onShutdown,
  runShutdown,
  type SignalOptions,
  shutdownAndExit,
  shutdownSignal,
  stopOnSignals,
} from './shutdown.js';
