/**
 * Teams: team rows and their JSON views, memberships with the default permissions, member profiles, the checks
 * upstream's routes make (membership, team permission), team selection, and the personal team on sign-up.
 */
export { requireTeamPermission } from './access.js';
export type { TeamInvitation } from './invitations.js';
export {
  findInvitationFor,
  joinInvitedTeam,
  listTeamInvitations,
  listUserInvitations,
  revokeTeamInvitation,
  sendTeamInvitation,
} from './invitations.js';
export type { MemberProfile } from './member-profiles.js';
export { listMemberProfiles, updateMemberProfile } from './member-profiles.js';
export {
  addTeamMember,
  createPersonalTeam,
  isTeamMember,
  personalTeamName,
  removeTeamMember,
  requireMembership,
  selectTeam,
} from './memberships.js';
export type { TeamFields, TeamRecord } from './teams.js';
export {
  clientTeamJson,
  createTeam,
  deleteTeam,
  findTeam,
  listTeams,
  requireTeam,
  serverTeamJson,
  updateTeam,
} from './teams.js';
