/** The transaction of a command that failed validation, when one can still be read from it. */
export function readTransaction(text: string): { transaction?: string } {
  try {
    const value = JSON.parse(text) as { transaction?: unknown } | null;
    return typeof value?.transaction === 'string' && value.transaction.length <= 64
      ? { transaction: value.transaction }
      : {};
  } catch {
    return {};
  }
}
