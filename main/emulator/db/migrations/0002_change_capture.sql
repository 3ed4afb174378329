-- Change capture in the database itself. Upstream relies on every app code path to set the flag and write the
-- tombstone (stack-sync.md §1.6); one missed call site silently loses a change. Here a plain-SQL UPDATE or
-- DELETE, and every FK cascade, is captured too. Placeholders {{…}} come from shared/internal-db.ts.

-- (a) Any UPDATE that is not a sequencer stamp (which changes "sequenceId" or the flag) marks the row pending.
CREATE FUNCTION hexclave_flag_updated_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sequenceId" IS NOT DISTINCT FROM OLD."sequenceId"
     AND NEW."shouldUpdateSequenceId" IS NOT DISTINCT FROM OLD."shouldUpdateSequenceId" THEN
    NEW."shouldUpdateSequenceId" := TRUE;
  END IF;
  RETURN NEW;
END $$;

-- (b) users.primary_email is derived from ContactChannel, so a channel change re-flags its owner. Sequencer
-- stamps of channels (flag FALSE) are skipped, or every stamp would re-sequence the user once more.
CREATE FUNCTION hexclave_flag_contact_channel_owners() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ProjectUser" AS pu
  SET "shouldUpdateSequenceId" = TRUE
  FROM (
    SELECT DISTINCT "tenancyId", "projectUserId" FROM changed_rows
    WHERE TG_OP = 'DELETE' OR "shouldUpdateSequenceId"
  ) AS owners
  WHERE pu."tenancyId" = owners."tenancyId"
    AND pu."projectUserId" = owners."projectUserId"
    AND NOT pu."shouldUpdateSequenceId";
  RETURN NULL;
END $$;

-- (c) Tombstones with upstream's primaryKey shape (the key columns are the trigger arguments) and the full row.
-- Row-level BEFORE DELETE, so rows removed by FK cascades are recorded as well.
CREATE FUNCTION hexclave_record_deleted_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_row JSONB := to_jsonb(OLD);
BEGIN
  INSERT INTO "DeletedRow" ("tenancyId", "tableName", "primaryKey", "data")
  SELECT (old_row ->> 'tenancyId')::uuid, TG_TABLE_NAME, jsonb_object_agg(key_column, old_row -> key_column), old_row
  FROM unnest(TG_ARGV) AS key_column;
  RETURN OLD;
END $$;

-- VerificationCode has no tenancyId and only team invitations are synced (upstream's tableName for them).
CREATE FUNCTION hexclave_record_deleted_team_invitation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."type" = 'TEAM_INVITATION' THEN
    INSERT INTO "DeletedRow" ("tenancyId", "tableName", "primaryKey", "data")
    SELECT t."id", 'VerificationCode_TEAM_INVITATION', jsonb_build_object('id', OLD."id"), to_jsonb(OLD)
    FROM "Tenancy" AS t
    WHERE t."projectId" = OLD."projectId" AND t."branchId" = OLD."branchId" AND t."hasNoOrganization" = 'TRUE';
  END IF;
  RETURN OLD;
END $$;

-- Upstream deletes a team's invitations in app code; here the team's own delete does it (and tombstones them).
CREATE FUNCTION hexclave_delete_team_invitations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "VerificationCode" AS vc
  USING "Tenancy" AS t
  WHERE t."id" = OLD."tenancyId"
    AND vc."projectId" = t."projectId" AND vc."branchId" = t."branchId"
    AND vc."type" = 'TEAM_INVITATION' AND vc."data" ->> 'team_id' = OLD."teamId"::text;
  RETURN NULL;
END $$;

-- (d) Wake a sync engine: one NOTIFY per statement and tenancy with pending rows (Postgres also folds identical
-- notifications within a transaction). Deletes notify through the tombstones they insert.
CREATE FUNCTION hexclave_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, pending."tenancyId"::text)
  FROM (SELECT DISTINCT "tenancyId" FROM changed_rows WHERE "shouldUpdateSequenceId") AS pending;
  RETURN NULL;
END $$;

CREATE FUNCTION hexclave_notify_verification_code_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, t."id"::text)
  FROM (
    SELECT DISTINCT "projectId", "branchId" FROM changed_rows
    WHERE "shouldUpdateSequenceId" AND "type" = 'TEAM_INVITATION'
  ) AS pending
  JOIN "Tenancy" AS t
    ON t."projectId" = pending."projectId" AND t."branchId" = pending."branchId" AND t."hasNoOrganization" = 'TRUE';
  RETURN NULL;
END $$;

DO $$
DECLARE
  -- table → its upstream primaryKey JSON fields (stack-sync.md §1.3)
  sequenced CONSTANT TEXT[][] := ARRAY[
    ['ProjectUser', 'tenancyId,projectUserId'],
    ['ContactChannel', 'tenancyId,projectUserId,id'],
    ['Team', 'tenancyId,teamId'],
    ['TeamMember', 'tenancyId,projectUserId,teamId'],
    ['TeamMemberDirectPermission', 'tenancyId,projectUserId,teamId,permissionId'],
    ['ProjectUserDirectPermission', 'tenancyId,projectUserId,permissionId'],
    ['UserNotificationPreference', 'tenancyId,id'],
    ['ProjectUserRefreshToken', 'tenancyId,id'],
    ['ProjectUserOAuthAccount', 'tenancyId,id']
  ];
  table_name TEXT;
  key_arguments TEXT;
BEGIN
  FOR i IN 1 .. array_length(sequenced, 1) LOOP
    table_name := sequenced[i][1];
    SELECT string_agg(quote_literal(k), ', ') INTO key_arguments FROM unnest(string_to_array(sequenced[i][2], ',')) AS k;
    EXECUTE format('CREATE TRIGGER hexclave_record_deleted_row BEFORE DELETE ON %I FOR EACH ROW '
                   'EXECUTE FUNCTION hexclave_record_deleted_row(%s)', table_name, key_arguments);
  END LOOP;
  FOREACH table_name IN ARRAY ARRAY[
    'ProjectUser', 'ContactChannel', 'Team', 'TeamMember', 'TeamMemberDirectPermission',
    'ProjectUserDirectPermission', 'UserNotificationPreference', 'ProjectUserRefreshToken',
    'ProjectUserOAuthAccount', 'VerificationCode', 'DeletedRow'
  ] LOOP
    EXECUTE format('CREATE TRIGGER hexclave_flag_updated_row BEFORE UPDATE ON %I FOR EACH ROW '
                   'EXECUTE FUNCTION hexclave_flag_updated_row()', table_name);
    IF table_name <> 'VerificationCode' THEN
      EXECUTE format('CREATE TRIGGER hexclave_notify_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows '
                     'FOR EACH STATEMENT EXECUTE FUNCTION hexclave_notify_change()', table_name);
      EXECUTE format('CREATE TRIGGER hexclave_notify_update AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows '
                     'FOR EACH STATEMENT EXECUTE FUNCTION hexclave_notify_change()', table_name);
    END IF;
  END LOOP;
END $$;

CREATE TRIGGER hexclave_record_deleted_row BEFORE DELETE ON "VerificationCode"
  FOR EACH ROW EXECUTE FUNCTION hexclave_record_deleted_team_invitation();
CREATE TRIGGER hexclave_notify_insert AFTER INSERT ON "VerificationCode" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_notify_verification_code_change();
CREATE TRIGGER hexclave_notify_update AFTER UPDATE ON "VerificationCode" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_notify_verification_code_change();

CREATE TRIGGER hexclave_delete_team_invitations AFTER DELETE ON "Team"
  FOR EACH ROW EXECUTE FUNCTION hexclave_delete_team_invitations();

CREATE TRIGGER hexclave_flag_owner_insert AFTER INSERT ON "ContactChannel" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_flag_contact_channel_owners();
CREATE TRIGGER hexclave_flag_owner_update AFTER UPDATE ON "ContactChannel" REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_flag_contact_channel_owners();
CREATE TRIGGER hexclave_flag_owner_delete AFTER DELETE ON "ContactChannel" REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hexclave_flag_contact_channel_owners();
