-- Checkout reserves stock inside the same single statement that writes the order group, its
-- orders and payment (no BEGIN/COMMIT round trips, so a popular SKU's row lock lasts no longer
-- than the statement). Refusing must therefore abort that statement: this raises instead of
-- answering. SQLSTATE FMSTK, DETAIL the first SKU that could not be reserved. Lines come sorted by
-- SKU id (the lock order, as for the other stock functions).
CREATE FUNCTION stock_reserve_all(sku_ids text[], quantities integer[], at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(sku_ids, 1), 0) LOOP
    UPDATE skus SET reserved = reserved + quantities[i], updated_at = at
      WHERE id = sku_ids[i] AND removed_at IS NULL AND on_hand - reserved >= quantities[i];
    IF NOT FOUND THEN
      RAISE EXCEPTION 'not enough stock of %', sku_ids[i] USING ERRCODE = 'FMSTK', DETAIL = sku_ids[i];
    END IF;
  END LOOP;
  RETURN coalesce(array_length(sku_ids, 1), 0);
END $$;
--> statement-breakpoint
-- Replaced by stock_reserve_all.
DROP FUNCTION stock_reserve(text[], integer[], timestamptz);
