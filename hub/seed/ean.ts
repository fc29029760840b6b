/**
 * EAN-13 check digit (GS1 General Specifications §7.9.1): weights 1 and 3 alternate from the left over the
 * first 12 digits; the check digit brings the weighted sum up to a multiple of 10.
 */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error(`EAN-13 needs 12 digits before the check digit: ${first12}`);
  const sum = [...first12].reduce(
    (total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3),
    0,
  );
  return (10 - (sum % 10)) % 10;
}

/** A full EAN-13 from its first 12 digits. */
export const ean13 = (first12: string): string => `${first12}${ean13CheckDigit(first12)}`;
