-- A statement that must stand whole or not at all refuses itself: settlement sends its moves without
-- a transaction, so a move that finds its row moved on must abort the statement that carries it,
-- not answer a count the caller would have to roll back. SQLSTATE FMREF, DETAIL the reason.
CREATE FUNCTION refuse_unless(ok boolean, reason text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'refused: %', reason USING ERRCODE = 'FMREF', DETAIL = reason;
  END IF;
  RETURN true;
END $$;
