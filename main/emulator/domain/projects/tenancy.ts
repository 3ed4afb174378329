import type { RenderedConfig } from './config/rendered.js';

/** Which project, branch and tenancy a piece of data belongs to (upstream's tenancy = project × branch). */
export interface TenancyRef {
  readonly projectId: string;
  readonly branchId: string;
  readonly tenancyId: string;
}

/** A tenancy with its rendered configuration: what every behaviour switch of a request reads. */
export interface Tenancy extends TenancyRef {
  readonly config: RenderedConfig;
}

/** The `Project` row as the API reports it (upstream's getProjectQuery). */
export interface ProjectRecord {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly createdAtMillis: number;
  readonly isProductionMode: boolean;
  readonly ownerTeamId: string | null;
  readonly logoUrl: string | null;
  readonly logoFullUrl: string | null;
  readonly logoDarkModeUrl: string | null;
  readonly logoFullDarkModeUrl: string | null;
  readonly onboardingStatus: string;
}

/** upstream's main branch; the emulator serves no other. */
export const DEFAULT_BRANCH_ID = 'main';
/** The dashboard's own project: its users are the developers, their tokens admin access tokens. */
export const INTERNAL_PROJECT_ID = 'internal';
