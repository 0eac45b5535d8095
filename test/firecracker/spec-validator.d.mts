// Types for spec-validator.mjs.
export declare const SPEC_PATH: string;
export type Validation = { ok: true; operationId: string } | { ok: false; errors: string[] };
export declare function loadSpecValidator(specPath?: string): {
  version: string | undefined;
  validate(method: string, requestPath: string, body: unknown): Validation;
};
