import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import { expand } from 'dotenv-expand';
import {
  type ConfigFileDiscovery,
  discoverConfigFile,
  type EnvLayer,
  type EnvResolution,
  resolveEnv,
} from '../../shared/registry/index.js';

export interface EnvFileInfo {
  readonly file: string;
  readonly present: boolean;
  readonly variableCount: number;
}

export interface ProjectEnvReport {
  readonly dir: string;
  readonly nodeEnv: string;
  /** Layers in precedence order, highest first, as Next.js applies them. */
  readonly files: readonly EnvFileInfo[];
  readonly resolutions: readonly EnvResolution[];
  readonly configFile: ConfigFileDiscovery;
}

/** Next.js precedence, highest first: process env, .env.$NODE_ENV.local, .env.local (not in test), .env.$NODE_ENV, .env. */
export function envFileOrder(nodeEnv: string): string[] {
  return [`.env.${nodeEnv}.local`, ...(nodeEnv === 'test' ? [] : ['.env.local']), `.env.${nodeEnv}`, '.env'];
}

export class ProjectDirError extends Error {
  override readonly name = 'ProjectDirError';
}

/**
 * `${NAME}` and `$NAME` references in one file's values, expanded the way Next.js (dotenv-expand) does, against what
 * was loaded before it and the file itself. The file's own names keep their own values: each layer shows what that
 * file says, with its references filled in.
 */
function expandReferences(vars: Record<string, string>, loaded: Record<string, string>): Record<string, string> {
  const context = Object.fromEntries(Object.entries(loaded).filter(([name]) => !(name in vars)));
  return expand({ parsed: { ...vars }, processEnv: context }).parsed ?? vars;
}

/**
 * Resolve a project folder's Stack/Hexclave environment: which names are set where, which one the dual reader
 * uses, the conflicts, and the config file it would discover.
 */
export function readProjectEnv(
  dir: string,
  options: { nodeEnv?: string; processEnv?: NodeJS.ProcessEnv | null } = {},
): ProjectEnvReport {
  const absolute = resolve(dir);
  if (!existsSync(absolute)) {
    throw new ProjectDirError(
      `Project folder "${absolute}" does not exist. Pass the folder that holds your .env files.`,
    );
  }
  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV ?? 'development';
  const layers: EnvLayer[] = [];
  if (options.processEnv !== null)
    layers.push({ source: 'process env', vars: options.processEnv ?? process.env });
  const files: EnvFileInfo[] = [];
  // What a `${NAME}` in a file resolves to, as Next.js loads them: process env, then each file from the highest.
  const loaded: Record<string, string> = {};
  for (const [name, value] of Object.entries(layers[0]?.vars ?? {}))
    if (value !== undefined) loaded[name] = value;
  for (const file of envFileOrder(nodeEnv)) {
    const path = join(absolute, file);
    if (!existsSync(path)) {
      files.push({ file, present: false, variableCount: 0 });
      continue;
    }
    const vars = expandReferences(parse(readFileSync(path)), loaded);
    for (const [name, value] of Object.entries(vars)) loaded[name] ??= value;
    files.push({ file, present: true, variableCount: Object.keys(vars).length });
    layers.push({ source: file, vars });
  }
  return {
    dir: absolute,
    nodeEnv,
    files,
    resolutions: resolveEnv(layers),
    configFile: discoverConfigFile((name) => existsSync(join(absolute, name))),
  };
}
