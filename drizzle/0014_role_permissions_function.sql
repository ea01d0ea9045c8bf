-- Saving a role's project permissions in one round trip (the busiest permission change: a switch autosaves).
-- The function runs as the caller's transaction (one statement: its own when autocommitted). It locks the role's
-- row first; every statement after it takes a fresh snapshot (a VOLATILE plpgsql function under READ COMMITTED),
-- so a save that waited for another one to commit sees the rows that one left and records them as "before".
-- p_catalog is the catalog's order of project permissions: "before" keeps only those, in that order, like "after"
-- (which the caller sends in that order). The history entry ('role.permissions', only when the list changed) has
-- the columns recordHistory writes. No row when the account has no such role.
CREATE FUNCTION accord_set_role_permissions(p_account text, p_role text, p_after text[], p_catalog text[], p_actor text)
RETURNS TABLE (role_name text, role_visible boolean, before_permissions text[]) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  found_name text;
  found_visible boolean;
  old text[];
BEGIN
  SELECT ro.name, ro.visible INTO found_name, found_visible FROM roles ro
    WHERE ro.account_id = p_account AND ro.key = p_role FOR UPDATE;
  IF NOT FOUND THEN RETURN; END IF;
  SELECT coalesce(array_agg(rp.permission ORDER BY array_position(p_catalog, rp.permission)) FILTER (WHERE rp.permission = ANY (p_catalog)), '{}')
    INTO old FROM role_permissions rp WHERE rp.account_id = p_account AND rp.role_key = p_role;
  -- only the rows that change: a switch turned on or off deletes or inserts one row (each fires the access stamp
  -- and checks its foreign key); keys not in p_after, stored keys outside the catalog among them, go
  DELETE FROM role_permissions rp WHERE rp.account_id = p_account AND rp.role_key = p_role AND rp.permission <> ALL (p_after);
  INSERT INTO role_permissions (account_id, role_key, permission) SELECT p_account, p_role, unnest(p_after) ON CONFLICT DO NOTHING;
  IF old IS DISTINCT FROM p_after THEN
    INSERT INTO history_entries (account_id, actor_id, kind, subject_type, subject_id, before, after)
      VALUES (p_account, p_actor, 'role.permissions', 'role', p_role,
              jsonb_build_object('permissions', to_jsonb(old)), jsonb_build_object('permissions', to_jsonb(p_after)));
  END IF;
  RETURN QUERY SELECT found_name, found_visible, old;
END $$;
