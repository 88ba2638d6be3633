// Runtime configuration from /config.json, written by the local stack and by the deploy, so one build
// serves every environment.
export interface RuntimeConfig {
  api_base: string;
  region?: string | null;
  user_pool_id?: string | null;
  client_id?: string | null;
  hosted_ui_domain?: string | null;
  social_providers: string[];
}

const defaults: RuntimeConfig = { api_base: '/api', social_providers: [] };
let current: RuntimeConfig = defaults;

export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    const res = await fetchFn('/config.json', { cache: 'no-store' });
    if (res.ok) current = parseConfig(await res.json());
  } catch {
    // No config (e.g. a bare static preview): email login against /api still works.
  }
  return current;
}

export function parseConfig(raw: unknown): RuntimeConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    api_base: (str(o.api_base) ?? '/api').replace(/\/$/, ''),
    region: str(o.region),
    user_pool_id: str(o.user_pool_id),
    client_id: str(o.client_id),
    hosted_ui_domain: str(o.hosted_ui_domain),
    social_providers: Array.isArray(o.social_providers) ? o.social_providers.filter((p): p is string => typeof p === 'string') : [],
  };
}

export function config(): RuntimeConfig {
  return current;
}
