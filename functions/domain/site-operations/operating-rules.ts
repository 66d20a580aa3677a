/**
 * What a site may do in each status, and the article that says so. Pure:
 * callers turn a refusal into their API error.
 */

export type SiteStatusForRules = 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'WITHDRAWN';

/** A rule the request breaks: stable code, both languages, the article. */
export interface Refusal {
  readonly code: string;
  readonly article?: string;
  readonly zh: string;
  readonly en: string;
}

/**
 * Only an ACTIVE site may schedule or hold an exam session (Art.5, Art.13).
 * A SUSPENDED one is refused with Art.21 (暂停考试), a WITHDRAWN one with
 * Art.22 (no further exam duties), a REVOKED one with Art.23.
 */
export function refuseExamActivity(status: SiteStatusForRules): Refusal | undefined {
  switch (status) {
    case 'ACTIVE':
      return undefined;
    case 'SUSPENDED':
      return { code: 'SITE_SUSPENDED', article: 'Art.21', zh: '考核站点已被暂停考试，整改通过前不得安排或组织考试。', en: 'The site is suspended from exams; it may not schedule or hold a session until its rectification passes.' };
    case 'WITHDRAWN':
      return { code: 'SITE_WITHDRAWN', article: 'Art.22', zh: '考核站点已退出，不再承担考试工作。', en: 'The site has withdrawn and has no further exam duties.' };
    case 'REVOKED':
      return { code: 'SITE_REVOKED', article: 'Art.23', zh: '考核站点资格已被撤销。', en: 'The site’s accreditation has been revoked.' };
  }
}

/** Session statuses: a session is planned, runs, is recorded as held, or is cancelled. */
export type SessionStatus = 'SCHEDULED' | 'IN_PROGRESS' | 'HELD' | 'CANCELLED';

/**
 * Art.22 "在没有组织考试的情况下": a site may ask to withdraw (and an admin
 * may agree) only when no session is scheduled or in progress.
 */
export function refuseWithdrawal(status: SiteStatusForRules, sessions: ReadonlyArray<{ readonly status: SessionStatus; readonly sessionId: string }>): Refusal | undefined {
  if (status !== 'ACTIVE') {
    return { code: 'WITHDRAWAL_NOT_ALLOWED', article: 'Art.22', zh: '只有正常运行的考核站点可以申请退出。', en: 'Only an ACTIVE site may ask to withdraw.' };
  }
  const open = sessions.filter((s) => s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS');
  if (open.length === 0) return undefined;
  return {
    code: 'EXAM_SESSION_OPEN',
    article: 'Art.22',
    zh: `尚有 ${open.length} 场考试已安排或正在进行，须在没有组织考试的情况下申请退出。`,
    en: `${open.length} exam session(s) are scheduled or in progress; a site may withdraw only when it has no exam organised.`,
  };
}

/** An accredited room as kept on the site (Art.9(2)): capacity = candidates at once. */
export interface AccreditedRoom {
  readonly name: string;
  readonly capacity: number;
}

/**
 * Checks a session plan against the site's accredited rooms (Art.9(2)): every
 * room is one of them, none twice, the session's capacity is at most the
 * rooms' capacity at once, and it starts after `now` and ends after it starts.
 */
export function refuseSessionPlan(input: {
  readonly rooms: readonly AccreditedRoom[];
  readonly roomNames: readonly string[];
  readonly capacity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly now: string;
}): Refusal[] {
  const refusals: Refusal[] = [];
  const byName = new Map(input.rooms.map((r) => [r.name, r]));
  const unknown = input.roomNames.filter((n) => !byName.has(n));
  if (input.roomNames.length === 0) {
    refusals.push({ code: 'SESSION_NO_ROOM', article: 'Art.9(2)', zh: '考试须安排在至少一个通过认定的考场。', en: 'A session needs at least one accredited exam room.' });
  }
  if (unknown.length) {
    refusals.push({
      code: 'SESSION_ROOM_NOT_ACCREDITED',
      article: 'Art.9(2)',
      zh: `考场「${unknown.join('」「')}」不是本站点通过认定的考场。`,
      en: `Room(s) ${unknown.join(', ')} are not among the site's accredited rooms.`,
    });
  }
  if (new Set(input.roomNames).size !== input.roomNames.length) {
    refusals.push({ code: 'SESSION_ROOM_REPEATED', zh: '同一考场不能重复选择。', en: 'A room is listed twice.' });
  }
  const seats = [...new Set(input.roomNames)].reduce((sum, n) => sum + (byName.get(n)?.capacity ?? 0), 0);
  if (input.capacity > seats) {
    refusals.push({
      code: 'SESSION_OVER_CAPACITY',
      article: 'Art.9(2)',
      zh: `考试容量 ${input.capacity} 人，超过所选考场可同时容纳的 ${seats} 人。`,
      en: `The session's capacity of ${input.capacity} exceeds the ${seats} candidates the chosen rooms seat at once.`,
    });
  }
  if (!(Date.parse(input.startsAt) > Date.parse(input.now))) {
    refusals.push({ code: 'SESSION_IN_THE_PAST', zh: '考试开始时间须晚于当前时间。', en: 'A session must start in the future.' });
  }
  if (!(Date.parse(input.endsAt) > Date.parse(input.startsAt))) {
    refusals.push({ code: 'SESSION_ENDS_BEFORE_START', zh: '考试结束时间须晚于开始时间。', en: 'A session must end after it starts.' });
  }
  return refusals;
}

/**
 * Art.14 / Art.23(1) (policy): a session counts as held — "正常开展工作" —
 * when it took place with at least one registered candidate present. A
 * cancelled or empty session does not re-anchor the two-year timer.
 */
export function countsAsHeld(attendance: ReadonlyArray<{ readonly present: boolean }>): boolean {
  return attendance.some((a) => a.present);
}

/**
 * A site records its duties (staff training, Art.15; work summaries, Art.16)
 * while it is accredited: ACTIVE, and SUSPENDED too (a suspended site keeps
 * its duties while it rectifies). A WITHDRAWN site has no further duties
 * (Art.22), a REVOKED one no accreditation (Art.23): refused as for exams.
 */
export function refuseDutyRecord(status: SiteStatusForRules): Refusal | undefined {
  return status === 'ACTIVE' || status === 'SUSPENDED' ? undefined : refuseExamActivity(status);
}
