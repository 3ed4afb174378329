import { entriesOf } from '../../registry/index.js';
import { headerRecord, requestLine } from '../exchange.js';
import { finding, identifierRef, missingNewSeverity, shown } from '../finding.js';
import type { CheckContext, Exchange, Finding } from '../types.js';

const DUAL_EMITTED = entriesOf('response-header').filter((entry) => entry.policy === 'dual-emit');

/** Every dual-emitted response header: present in both families, with equal values. */
export function checkDualResponseHeaders(exchange: Exchange, ctx: CheckContext): Finding[] {
  if (!exchange.response) return [];
  const headers = headerRecord(exchange.response.headers);
  const findings: Finding[] = [];
  for (const entry of DUAL_EMITTED) {
    const stack = headers[entry.old];
    const hexclave = headers[entry.new!];
    if (stack === undefined && hexclave === undefined) continue;
    const evidence = `${requestLine(exchange)}; ${entry.old}: ${shown(stack, entry.secret)}; ${entry.new}: ${shown(hexclave, entry.secret)}`;
    if (stack === undefined || hexclave === undefined) {
      const missing = stack === undefined ? entry.old : entry.new!;
      const present = stack === undefined ? entry.new! : entry.old;
      findings.push(
        finding(
          'response-header.missing-twin',
          {
            // A legacy backend is expected to lack the hexclave name; a missing stack name breaks old SDKs always.
            severity: stack === undefined ? 'error' : missingNewSeverity(ctx.expectedMode),
            identifier: identifierRef(entry),
            message: `The response carries ${present} but not ${missing}.`,
            expected: `${entry.old} and ${entry.new} with equal values`,
            actual: `only ${present}`,
            evidence,
          },
          exchange.id,
        ),
      );
    } else if (stack !== hexclave) {
      findings.push(
        finding(
          'response-header.values-differ',
          {
            severity: 'error',
            identifier: identifierRef(entry),
            message: `${entry.old} and ${entry.new} carry different values.`,
            expected: 'equal values under both names',
            actual: `${entry.old}=${shown(stack, entry.secret)}, ${entry.new}=${shown(hexclave, entry.secret)}`,
            evidence,
          },
          exchange.id,
        ),
      );
    }
  }
  return findings;
}
