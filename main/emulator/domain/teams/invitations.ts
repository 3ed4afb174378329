import type { Queryable } from '../../db/index.js';
import { knownError } from '../../errors/index.js';
import type { MailService } from '../mail/index.js';
import { isTrustedRedirectUrl, type Tenancy } from '../projects/index.js';
import { createVerificationCode } from '../verification/index.js';
import { addTeamMember, isTeamMember } from './memberships.js';
import { requireTeam } from './teams.js';

/** A pending invitation as the API lists it. */
export interface TeamInvitation {
  readonly id: string;
  readonly team_id: string;
  readonly team_display_name: string;
  readonly expires_at_millis: number;
  readonly recipient_email: string;
}

/**
 * Upstream's team-invitation send-code: a TEAM_INVITATION code (data `{team_id}`, method `{email}`) whose link
 * goes to the callback URL, which must be trusted, mailed with the team's name. Returns the invitation's id.
 */
export async function sendTeamInvitation(
  db: Queryable,
  mail: MailService,
  from: { tenancy: Tenancy; projectName: string },
  invite: { teamId: string; email: string; callbackUrl: string },
): Promise<string> {
  const team = await requireTeam(db, from.tenancy.tenancyId, invite.teamId);
  if (!isTrustedRedirectUrl(invite.callbackUrl, from.tenancy.config))
    throw knownError('REDIRECT_URL_NOT_WHITELISTED');
  const issued = await createVerificationCode(db, from.tenancy, {
    type: 'TEAM_INVITATION',
    data: { team_id: invite.teamId },
    method: { email: invite.email },
    callbackUrl: invite.callbackUrl,
  });
  await mail.sendTemplate(invite.email, { name: from.projectName }, from.tenancy.tenancyId, {
    kind: 'team-invitation',
    projectName: from.projectName,
    teamName: team.displayName,
    link: issued.link!,
  });
  return issued.id;
}

// Pending = unused and unexpired, of this tenancy's project and branch; the team must still exist.
const PENDING = `SELECT vc."id", t."teamId" AS "team_id", t."displayName" AS "team_display_name",
    floor(extract(epoch from vc."expiresAt") * 1000)::float8 AS "expires_at_millis",
    vc."method" ->> 'email' AS "recipient_email"
  FROM "VerificationCode" vc
  JOIN "Team" t ON t."tenancyId" = $1 AND t."teamId"::text = vc."data" ->> 'team_id'
  WHERE vc."projectId" = $2 AND vc."branchId" = $3 AND vc."type" = 'TEAM_INVITATION'
    AND vc."usedAt" IS NULL AND vc."expiresAt" > now()`;

const pendingValues = (tenancy: Tenancy) => [tenancy.tenancyId, tenancy.projectId, tenancy.branchId];

export async function listTeamInvitations(db: Queryable, tenancy: Tenancy, teamId: string) {
  const { rows } = await db.query<TeamInvitation>(
    `${PENDING} AND t."teamId" = $4 ORDER BY vc."createdAt", vc."id"`,
    [...pendingValues(tenancy), teamId],
  );
  return rows;
}

/** The invitations sent to any of the user's verified e-mail addresses. */
export async function listUserInvitations(db: Queryable, tenancy: Tenancy, userId: string) {
  const { rows } = await db.query<TeamInvitation>(
    `${PENDING} AND vc."method" ->> 'email' IN (
       SELECT cc."value" FROM "ContactChannel" cc
       WHERE cc."tenancyId" = $1 AND cc."projectUserId" = $4 AND cc."type" = 'EMAIL' AND cc."isVerified")
     ORDER BY vc."createdAt", vc."id"`,
    [...pendingValues(tenancy), userId],
  );
  return rows;
}

/** One pending invitation by id, for a user holding its address verified; null otherwise. */
export async function findInvitationFor(
  db: Queryable,
  tenancy: Tenancy,
  invitationId: string,
  userId: string,
) {
  const { rows } = await db.query<TeamInvitation>(
    `${PENDING} AND vc."id" = $4 AND EXISTS (
       SELECT 1 FROM "ContactChannel" cc
       WHERE cc."tenancyId" = $1 AND cc."projectUserId" = $5 AND cc."type" = 'EMAIL' AND cc."isVerified"
         AND cc."value" = vc."method" ->> 'email')`,
    [...pendingValues(tenancy), invitationId, userId],
  );
  return rows[0] ?? null;
}

/** Withdraw an invitation of the team (its tombstone is written by the database); false when there is none. */
export async function revokeTeamInvitation(
  db: Queryable,
  tenancy: Tenancy,
  teamId: string,
  invitationId: string,
) {
  const { rowCount } = await db.query(
    `DELETE FROM "VerificationCode"
     WHERE "projectId" = $1 AND "branchId" = $2 AND "id" = $3 AND "type" = 'TEAM_INVITATION' AND "data" ->> 'team_id' = $4`,
    [tenancy.projectId, tenancy.branchId, invitationId, teamId],
  );
  return (rowCount ?? 0) > 0;
}

/** Join the invitation's team as a member (with the default member permissions), unless already in it. */
export async function joinInvitedTeam(db: Queryable, tenancy: Tenancy, teamId: string, userId: string) {
  await requireTeam(db, tenancy.tenancyId, teamId);
  if (!(await isTeamMember(db, tenancy.tenancyId, teamId, userId))) {
    await addTeamMember(db, tenancy, teamId, userId, 'member');
  }
}
