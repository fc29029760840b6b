/** An error answer from the hub or the gateway: one envelope `{error: {code, message, details?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** `path: message` lines when the server gave some. */
    readonly details: string[] = [],
  ) {
    super(message);
  }

  /** The message and the details it gave, as a person reads them: "Bad request · body.x: too big". */
  get reason(): string {
    return [this.message, ...this.details].join(' · ');
  }
}

/** The ApiError for a failed answer's status and (possibly absent) JSON body. */
export function apiErrorFrom(status: number, body: unknown, fallback: string): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: string[] } } | null)?.error;
  return new ApiError(status, error?.code ?? 'http', error?.message ?? fallback, error?.details);
}
