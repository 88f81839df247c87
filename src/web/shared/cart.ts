/**
 * Number of items in the shopper's cart, shown on the header badge.
 * The cart module has not landed yet, so it is always empty; this is the seam to wire it.
 */
export function useCartCount(): number {
  return 0;
}
