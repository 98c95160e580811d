-- DropForeignKey
ALTER TABLE "positions" DROP CONSTRAINT "positions_account_id_fkey";

-- Every position names an account, checked once per INSERT statement instead of once per row
-- (see the Position model): the positions an INSERT wrote that name no account fail it.
CREATE FUNCTION positions_account_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT i.account_id INTO missing FROM inserted i
   WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.account_id) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert on table "positions" violates "positions_account_exists": account "%" does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER positions_account_exists AFTER INSERT ON positions
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION positions_account_exists();

-- A position's account never changes (its key; a move is a close and an open).
CREATE FUNCTION positions_account_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a position''s account_id never changes (% → %)', OLD.account_id, NEW.account_id
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER positions_account_fixed BEFORE UPDATE OF account_id ON positions
  FOR EACH ROW WHEN (NEW.account_id IS DISTINCT FROM OLD.account_id) EXECUTE FUNCTION positions_account_fixed();

-- Accounts are permanent: never deleted, truncated or renamed (the ledger keeps their history, and
-- the check above relies on it to need no row lock).
CREATE FUNCTION accounts_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'accounts are never deleted, truncated or renamed (% on accounts)', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER accounts_never_deleted BEFORE DELETE OR TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION accounts_permanent();
CREATE TRIGGER accounts_never_renamed BEFORE UPDATE OF id ON accounts
  FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION accounts_permanent();
