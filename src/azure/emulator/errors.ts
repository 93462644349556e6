// ARM errors as the emulator raises them: an HTTP status plus the body ARM wraps as {error:{code,message,target?}}.
// State and validation code throws ArmError; the server turns it into a response.

export interface ArmErrorBody {
  error: { code: string; message: string; target?: string };
}

export class ArmError extends Error {
  override name = 'ArmError';
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  /** Extra response headers (Retry-After on 429/503). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    target?: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = target;
    this.headers = headers;
  }

  body(): ArmErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.target ? { target: this.target } : {}) },
    };
  }
}

/** 400 InvalidParameter, AKS's code for a field that fails validation; target names the field. */
export function invalidParameter(target: string, message: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, target);
}

/** 400 InvalidRequestContent, ARM's code for a body that does not deserialize into the resource type. */
export function invalidContent(detail: string): ArmError {
  return new ArmError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: '${detail}'.`,
  );
}
