/**
 * The handlers' log level on the local stack, set before the one logger is
 * made (`functions/shared/logger.ts`): Powertools reads `LOG_LEVEL` when the
 * logger is constructed and goes back to that level at every invocation, and
 * it knows the level names in upper case only. Quiet by default, so the
 * progress lines and the summary stay readable; `LOG_LEVEL=info npm start`
 * shows every handler's lines.
 */
process.env.LOG_LEVEL = (process.env.LOG_LEVEL ?? 'WARN').toUpperCase();
