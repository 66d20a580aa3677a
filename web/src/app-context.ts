import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './auth.ts';
import type { PortalConfig } from './config.ts';
import type { Me } from './types.ts';

/** What every page may read: the config, the session, who the user is. */
export interface AppState {
  readonly config: PortalConfig;
  readonly session: Session | undefined;
  readonly me: Me | undefined;
  readonly refreshMe: () => Promise<void>;
}

export const AppContext = createContext<AppState>(undefined as unknown as AppState);

export function useApp(): AppState {
  return useContext(AppContext);
}

/** Roles of the user: from `/v1/me` once loaded, from the token until then. */
export function hasGroup(state: AppState, group: 'applicant' | 'reviewer' | 'admin'): boolean {
  return (state.me?.groups ?? state.session?.groups ?? []).includes(group);
}
