import type { CheckReport } from '../../../shared/checker/index.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** Render a report; colour applies to the text format only. */
export function renderReport(
  report: CheckReport,
  format: ReportFormat,
  options: { color?: boolean; verbose?: boolean } = {},
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'junit':
      return renderJunit(report);
    case 'text':
      return renderText(report, { color: options.color === true, verbose: options.verbose === true });
  }
}

export { renderJunit, renderMarkdown, renderText };
