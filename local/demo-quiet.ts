/**
 * Imported first by `npm run demo`, before any handler module loads: the
 * business metrics' EMF lines (which `npm start` prints, as CloudWatch would
 * receive them) would bury the demo's timeline, so the demo turns them off
 * (`POWERTOOLS_METRICS_DISABLED`, read when the one Metrics object is made).
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
