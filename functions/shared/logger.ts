/**
 * Structured JSON logging with a correlation id on every line. Never pass
 * raw events, task tokens, upload policies or personal data (ID numbers,
 * phone numbers) to it.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Read at each line (cheap) so a process that sets LOG_LEVEL after loading this module is obeyed. */
const threshold = (): number => order[(process.env.LOG_LEVEL?.toLowerCase() as Level | undefined) ?? 'info'] ?? 20;

let correlationId: string | undefined;

/** Sets the correlation id for the current invocation (request id, execution name, message id). */
export function setCorrelationId(id: string | undefined): void {
  correlationId = id;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold()) return;
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    service: process.env.POWERTOOLS_SERVICE_NAME ?? 'exam-site',
    correlationId,
    message,
    ...fields,
  });
  (level === 'error' ? console.error : console.log)(line);
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
