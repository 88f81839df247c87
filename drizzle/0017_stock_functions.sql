-- Stock moves for many SKUs in one round trip. Callers pass the lines sorted by SKU id, so that
-- concurrent checkouts lock the same rows in the same order (no deadlocks). Each answers the first
-- SKU it could not move, or null when every line moved; the caller then rolls the transaction back.

-- Reserve at checkout: only what is free (on_hand - reserved) of a SKU that still exists.
CREATE FUNCTION stock_reserve(sku_ids text[], quantities integer[], at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(sku_ids, 1), 0) LOOP
    UPDATE skus SET reserved = reserved + quantities[i], updated_at = at
      WHERE id = sku_ids[i] AND removed_at IS NULL AND on_hand - reserved >= quantities[i];
    IF NOT FOUND THEN RETURN sku_ids[i]; END IF;
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Payment: the reserved units leave the shelf, and the product's stock total with them.
CREATE FUNCTION stock_commit(sku_ids text[], quantities integer[], at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  product text;
BEGIN
  FOR i IN 1 .. coalesce(array_length(sku_ids, 1), 0) LOOP
    UPDATE skus SET on_hand = on_hand - quantities[i], reserved = reserved - quantities[i], updated_at = at
      WHERE id = sku_ids[i] AND reserved >= quantities[i]
      RETURNING product_id INTO product;
    IF NOT FOUND THEN RETURN sku_ids[i]; END IF;
    UPDATE products SET stock_total = stock_total - quantities[i] WHERE id = product;
  END LOOP;
  RETURN NULL;
END $$;
