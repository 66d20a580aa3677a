import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading } from '../components/ui.tsx';

/**
 * A component whose module is loaded on first render (a chunk of its own),
 * so that pages with charts cost nothing on the portal's first load.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<unknown>(undefined);
    useEffect(() => {
      if (component) return;
      pending ??= load().then((c) => (loaded = c));
      pending.then((c) => setComponent(() => c)).catch((e: unknown) => {
        pending = undefined;
        setError(e);
      });
    }, []);
    if (error) return <ErrorBox error={error} />;
    const Component = component;
    return Component ? <Component {...props} /> : <Loading />;
  };
}
