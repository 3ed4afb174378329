import { scanProject } from './main/scan/scan.ts';

const r = scanProject(process.argv[2]!);
for (const f of r.findings)
  console.log(
    `${f.file}:${f.line}:${f.column} ${f.identifier} [${f.entryId}/${f.family}] ${f.verdict.kind}: ${f.verdict.text}${f.alsoMatches.length ? ' +' + f.alsoMatches : ''}`,
  );
console.log(JSON.stringify(r.deploy, null, 0), r.skipped, r.durationMs);
