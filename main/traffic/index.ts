export type { RecordInput, TrafficItem, TrafficListener, TrafficSource } from './hub.js';
export { TrafficHub } from './hub.js';
export { type DetailContext, toDetail, toSummary } from './present.js';
