/**
 * Teams: rows, memberships with default permissions, team selection, the personal team on sign-up.
 * Team routes (CRUD, invitations, permissions) build on these.
 */
export type { TeamFields } from './memberships.js';
export {
  addTeamMember,
  createPersonalTeam,
  createTeam,
  isTeamMember,
  personalTeamName,
  selectTeam,
} from './memberships.js';
