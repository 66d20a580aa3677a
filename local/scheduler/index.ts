/** The local EventBridge Scheduler (one-time schedules on the virtual clock). */
export { LocalScheduler, type ExecutionStarter, type FireRecord, type LocalSchedulerOptions } from './scheduler.ts';
export {
  SchedulerServiceError,
  type FlexibleTimeWindow,
  type Schedule,
  type ScheduleGroup,
  type ScheduleRequest,
  type ScheduleTarget,
  type SchedulerApi,
  type SchedulerErrorCode,
} from './api.ts';
export { atExpression, isTimeZone, parseAtExpression } from './at-expression.ts';
