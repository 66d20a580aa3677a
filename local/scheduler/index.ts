/** The local EventBridge Scheduler (one-time schedules on the virtual clock). */
export {
  LocalScheduler,
  SchedulerServiceError,
  type ExecutionStarter,
  type FireRecord,
  type FlexibleTimeWindow,
  type LocalSchedulerOptions,
  type Schedule,
  type ScheduleRequest,
  type ScheduleTarget,
  type SchedulerErrorCode,
} from './scheduler.ts';
export { atExpression, isTimeZone, parseAtExpression } from './at-expression.ts';
