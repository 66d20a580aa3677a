/**
 * Ports of the local stack, all on 127.0.0.1. `LOCAL_PORT_BASE` moves them
 * together (tests use other bases so they can run beside `npm start`).
 */
export interface LocalPorts {
  gateway: number;
  s3: number;
  stepfunctions: number;
  scheduler: number;
  ses: number;
  events: number;
  dynamodb: number;
}

export function localPorts(base = Number(process.env.LOCAL_PORT_BASE ?? 4510)): LocalPorts {
  return {
    gateway: base,
    s3: base + 1,
    stepfunctions: base + 2,
    scheduler: base + 3,
    ses: base + 4,
    events: base + 5,
    dynamodb: base + 6,
  };
}
