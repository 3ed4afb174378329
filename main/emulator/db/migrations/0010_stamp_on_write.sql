-- Stamp on write. Upstream's backend only flags a changed row; a sequencer stamps it later with a second UPDATE. On
-- upstream's schema that second UPDATE goes through every index of the table (ten on "ProjectUser"), so a change
-- cost the database two full row updates. Here the trigger that captures the change also stamps it, in the same
-- row version: one update per change, and the row is ready for the mirror when its transaction commits.
--
-- Sequence ids handed out at write time commit in any order; the sync engine's safe watermark covers exactly that
-- (docs/sync.md). The flag path stays for what needs it: a session that sets {{DEFER_STAMPS_SETTING}} writes as
-- upstream's backend does, and the sync engine's sequencer marks its own transactions with {{SEQUENCER_SETTING}}
-- (its stamps are not changes to capture).

-- (a) Stamp inserted and updated rows, unless the statement itself moves "sequenceId" or the flag (a sequencer's
-- stamp, a derived re-flag, a backend that flags by hand). Codes other than team invitations are never synced:
-- they keep upstream's flag and use no sequence id.
CREATE OR REPLACE FUNCTION hexclave_flag_updated_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW."sequenceId" IS DISTINCT FROM OLD."sequenceId"
                           OR NEW."shouldUpdateSequenceId" IS DISTINCT FROM OLD."shouldUpdateSequenceId") THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' AND NEW."sequenceId" IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME = 'VerificationCode' THEN
    IF NEW."type" <> 'TEAM_INVITATION' THEN
      NEW."shouldUpdateSequenceId" := TRUE;
      RETURN NEW;
    END IF;
  END IF;
  IF COALESCE(current_setting({{DEFER_STAMPS_SETTING}}, TRUE), '') = 'on' THEN
    NEW."shouldUpdateSequenceId" := TRUE;
  ELSE
    NEW."sequenceId" := nextval('{{GLOBAL_SEQUENCE}}');
    NEW."shouldUpdateSequenceId" := FALSE;
  END IF;
  RETURN NEW;
END $$;

DO $$
DECLARE
  table_name TEXT;
BEGIN
  FOREACH table_name IN ARRAY ARRAY[
    'ProjectUser', 'ContactChannel', 'Team', 'TeamMember', 'TeamMemberDirectPermission',
    'ProjectUserDirectPermission', 'UserNotificationPreference', 'ProjectUserRefreshToken',
    'ProjectUserOAuthAccount', 'VerificationCode', 'DeletedRow'
  ] LOOP
    EXECUTE format('CREATE TRIGGER hexclave_stamp_inserted_row BEFORE INSERT ON %I FOR EACH ROW '
                   'EXECUTE FUNCTION hexclave_flag_updated_row()', table_name);
  END LOOP;
END $$;

-- (b) users.primary_email is derived from ContactChannel: a channel change stamps its owner too (or flags it, when
-- the session defers stamps).
CREATE OR REPLACE FUNCTION hexclave_flag_contact_channel_owners() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deferring CONSTANT BOOLEAN := COALESCE(current_setting({{DEFER_STAMPS_SETTING}}, TRUE), '') = 'on';
BEGIN
  IF COALESCE(current_setting({{SEQUENCER_SETTING}}, TRUE), '') = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE "ProjectUser" AS pu
  SET "sequenceId" = CASE WHEN deferring THEN pu."sequenceId" ELSE nextval('{{GLOBAL_SEQUENCE}}') END,
      "shouldUpdateSequenceId" = deferring
  FROM (SELECT DISTINCT "tenancyId", "projectUserId" FROM changed_rows) AS owners
  WHERE pu."tenancyId" = owners."tenancyId"
    AND pu."projectUserId" = owners."projectUserId"
    AND NOT (deferring AND pu."shouldUpdateSequenceId");
  RETURN NULL;
END $$;

-- (c) team_invitations.team_display_name is derived from Team: a rename stamps the team's invitations. (A deferred
-- team change is stamped by a sequencer, which re-flags the invitations itself.)
CREATE FUNCTION hexclave_stamp_renamed_team_invitations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF COALESCE(current_setting({{SEQUENCER_SETTING}}, TRUE), '') = 'on' OR COALESCE(current_setting({{DEFER_STAMPS_SETTING}}, TRUE), '') = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE "VerificationCode" AS vc
  SET "sequenceId" = nextval('{{GLOBAL_SEQUENCE}}'), "shouldUpdateSequenceId" = FALSE
  FROM new_rows AS n
  JOIN old_rows AS o ON o."tenancyId" = n."tenancyId" AND o."teamId" = n."teamId"
  JOIN "Tenancy" AS ten ON ten."id" = n."tenancyId"
  WHERE o."displayName" IS DISTINCT FROM n."displayName"
    AND vc."type" = 'TEAM_INVITATION' AND vc."projectId" = ten."projectId" AND vc."branchId" = ten."branchId"
    AND vc."data" ->> 'team_id' = n."teamId"::text;
  RETURN NULL;
END $$;

CREATE TRIGGER hexclave_stamp_renamed_team_invitations AFTER UPDATE ON "Team"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_stamp_renamed_team_invitations();

-- (d) Notifications: every statement that is not a sequencer's stamp, with the sequence ids it stamped for the
-- tenancy ("s": [lowest, highest], absent when it only flagged), so a sync engine queues the tenancy at once and
-- measures lag from here. Rows named as before (at most 16 per statement and tenancy):
--   {"t": tenancy id, "r": table, "s": [low, high], "c": key columns, "k": [[key values], …]}
CREATE OR REPLACE FUNCTION hexclave_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pending RECORD;
  notice JSONB;
BEGIN
  IF COALESCE(current_setting({{SEQUENCER_SETTING}}, TRUE), '') = 'on' THEN
    RETURN NULL;
  END IF;
  FOR pending IN
    SELECT "tenancyId" AS tenancy, count(*) AS n,
           min("sequenceId") FILTER (WHERE NOT "shouldUpdateSequenceId") AS low,
           max("sequenceId") FILTER (WHERE NOT "shouldUpdateSequenceId") AS high
    FROM changed_rows GROUP BY 1
  LOOP
    notice := jsonb_build_object('t', pending.tenancy, 'r', TG_TABLE_NAME);
    IF pending.low IS NOT NULL THEN
      notice := notice || jsonb_build_object('s', jsonb_build_array(pending.low, pending.high));
    END IF;
    IF TG_NARGS > 0 AND pending.n <= 16 THEN
      notice := notice || jsonb_build_object(
        'c', to_jsonb(TG_ARGV),
        'k', (SELECT jsonb_agg((SELECT jsonb_agg(to_jsonb(c) -> a.key ORDER BY a.ord)
                                FROM unnest(TG_ARGV) WITH ORDINALITY AS a(key, ord)))
              FROM changed_rows AS c WHERE c."tenancyId" = pending.tenancy));
    END IF;
    PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, notice::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hexclave_notify_verification_code_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF COALESCE(current_setting({{SEQUENCER_SETTING}}, TRUE), '') = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, (jsonb_build_object('t', t."id", 'r', 'VerificationCode')
                    || CASE WHEN pending.low IS NULL THEN '{}'::jsonb
                            ELSE jsonb_build_object('s', jsonb_build_array(pending.low, pending.high)) END)::text)
  FROM (
    SELECT "projectId", "branchId",
           min("sequenceId") FILTER (WHERE NOT "shouldUpdateSequenceId") AS low,
           max("sequenceId") FILTER (WHERE NOT "shouldUpdateSequenceId") AS high
    FROM changed_rows WHERE "type" = 'TEAM_INVITATION' GROUP BY 1, 2
  ) AS pending
  JOIN "Tenancy" AS t
    ON t."projectId" = pending."projectId" AND t."branchId" = pending."branchId" AND t."hasNoOrganization" = 'TRUE';
  RETURN NULL;
END $$;
