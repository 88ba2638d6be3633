// A tiny history router: the path is the state, links push it, the back button pops it.
import { createElement, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { createStore, useStore } from './store';

export const route = createStore<string>(typeof location === 'undefined' ? '/' : location.pathname + location.search);

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  route.set(to);
  window.scrollTo(0, 0);
}

if (typeof window !== 'undefined') addEventListener('popstate', () => route.set(location.pathname + location.search));

export function useRoute(): { path: string; query: URLSearchParams } {
  const r = useStore(route);
  const [path, q = ''] = r.split('?');
  return { path, query: new URLSearchParams(q) };
}

/** Matches "/sessions/:id" style patterns; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return createElement('a', { ...props, onClick });
}
