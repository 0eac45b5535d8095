// The deadlines' defaults, apart from what enforces them, so that the
// command's definition (and its --help) can show them without loading the client.

/** --request-timeout: one attempt of a request, connect to the last byte of its answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * --repository-timeout: one repository's whole collection, not counting the
 * waits GitHub asks for. Far more than a large repository takes (minutes):
 * a backstop against a collection that advances too slowly to ever end.
 */
export const DEFAULT_REPOSITORY_TIMEOUT_MS = 30 * 60_000;
