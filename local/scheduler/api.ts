/**
 * The Scheduler API as the local endpoint serves it: request and record
 * shapes, its error, and the operations `http.ts` calls. `scheduler.ts`
 * implements it; neither imports the other's module.
 */

/** The target of a schedule (only the fields this emulator acts on are typed). */
export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
  [other: string]: unknown;
}

export interface FlexibleTimeWindow {
  Mode: 'OFF' | 'FLEXIBLE';
  MaximumWindowInMinutes?: number;
}

/** CreateSchedule / UpdateSchedule request, as the SDK takes it. */
export interface ScheduleRequest {
  Name: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: ScheduleTarget;
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  State?: 'ENABLED' | 'DISABLED';
  Description?: string;
  StartDate?: Date;
  EndDate?: Date;
  KmsKeyArn?: string;
  ClientToken?: string;
}

/** A stored schedule, as GetSchedule returns it. */
export interface Schedule {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: ScheduleTarget;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  StartDate?: Date;
  EndDate?: Date;
  KmsKeyArn?: string;
  CreationDate: Date;
  LastModificationDate: Date;
}

export type SchedulerErrorCode = 'ConflictException' | 'ResourceNotFoundException' | 'ValidationException' | 'InternalServerException';

const STATUS: Record<SchedulerErrorCode, number> = {
  ConflictException: 409,
  ResourceNotFoundException: 404,
  ValidationException: 400,
  InternalServerException: 500,
};

/** An error of the Scheduler API: `name` is the AWS error code, `statusCode` its HTTP status. */
export class SchedulerServiceError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
    this.statusCode = STATUS[code];
  }
}

/** The operations the REST-JSON endpoint serves. */
export interface SchedulerApi {
  createSchedule(request: ScheduleRequest): { ScheduleArn: string };
  updateSchedule(request: ScheduleRequest): { ScheduleArn: string };
  getSchedule(name: string, groupName?: string): Schedule;
  deleteSchedule(name: string, groupName?: string): void;
  listSchedules(filter?: { groupName?: string; namePrefix?: string; state?: 'ENABLED' | 'DISABLED' }): Schedule[];
  createScheduleGroup(name: string): { ScheduleGroupArn: string };
  getScheduleGroup(name: string): ScheduleGroup;
  deleteScheduleGroup(name: string): void;
  listScheduleGroups(): ScheduleGroup[];
}

/** A schedule group, as GetScheduleGroup returns it. */
export interface ScheduleGroup {
  Arn: string;
  Name: string;
  State: 'ACTIVE';
  CreationDate: Date;
  LastModificationDate: Date;
}
