export { type CurlCommand, curlCommand } from './curl.js';
export type { RecordInput, Sighting, TrafficItem, TrafficListener, TrafficSource } from './hub.js';
export { TrafficHub } from './hub.js';
export type { PageSnapshotItem, PageSnapshots } from './page-snapshots.js';
export { type DetailContext, toDetail, toSummary } from './present.js';
export { sameRequest } from './sightings.js';
