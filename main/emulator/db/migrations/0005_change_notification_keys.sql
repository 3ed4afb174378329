-- A statement that flags a handful of rows names them in its notification, so a sync engine working through a
-- large backlog (a mass update, a first sync) can bring those rows to the mirror at once instead of behind it:
--   {"t": tenancy id, "r": table, "c": key columns, "k": [[key values], …]}   (at most 16 rows)
-- Larger statements, and tables whose trigger has no key columns, keep sending the bare tenancy id. The key
-- columns (the primary key without "tenancyId") are the triggers' arguments.
CREATE OR REPLACE FUNCTION hexclave_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pending RECORD;
BEGIN
  FOR pending IN
    SELECT "tenancyId" AS tenancy, count(*) AS n FROM changed_rows WHERE "shouldUpdateSequenceId" GROUP BY 1
  LOOP
    IF TG_NARGS = 0 OR pending.n > 16 THEN
      PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, pending.tenancy::text);
    ELSE
      PERFORM pg_notify({{INTERNAL_CHANGE_CHANNEL}}, jsonb_build_object(
        't', pending.tenancy, 'r', TG_TABLE_NAME, 'c', to_jsonb(TG_ARGV),
        'k', (SELECT jsonb_agg((SELECT jsonb_agg(to_jsonb(c) -> a.key ORDER BY a.ord)
                                FROM unnest(TG_ARGV) WITH ORDINALITY AS a(key, ord)))
              FROM changed_rows AS c WHERE c."shouldUpdateSequenceId" AND c."tenancyId" = pending.tenancy))::text);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

DO $$
DECLARE
  keyed CONSTANT TEXT[][] := ARRAY[
    ['ProjectUser', 'projectUserId'],
    ['ContactChannel', 'projectUserId,id'],
    ['Team', 'teamId'],
    ['TeamMember', 'projectUserId,teamId'],
    ['TeamMemberDirectPermission', 'id'],
    ['ProjectUserDirectPermission', 'id'],
    ['UserNotificationPreference', 'id'],
    ['ProjectUserRefreshToken', 'id'],
    ['ProjectUserOAuthAccount', 'id']
  ];
  key_arguments TEXT;
  operation TEXT;
BEGIN
  FOR i IN 1 .. array_length(keyed, 1) LOOP
    SELECT string_agg(quote_literal(k), ', ') INTO key_arguments FROM unnest(string_to_array(keyed[i][2], ',')) AS k;
    FOREACH operation IN ARRAY ARRAY['insert', 'update'] LOOP
      EXECUTE format('DROP TRIGGER hexclave_notify_%s ON %I', operation, keyed[i][1]);
      EXECUTE format('CREATE TRIGGER hexclave_notify_%s AFTER %s ON %I REFERENCING NEW TABLE AS changed_rows '
                     'FOR EACH STATEMENT EXECUTE FUNCTION hexclave_notify_change(%s)',
                     operation, upper(operation), keyed[i][1], key_arguments);
    END LOOP;
  END LOOP;
END $$;
