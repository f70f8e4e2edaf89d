/** Host names in environment values and arguments: `name`, `name:port`, `name.ns.svc…`, URLs. */

export interface HostRef {
  readonly host: string;
  readonly port?: number;
  readonly scheme?: string;
  /** A scheme, a port or a dotted name: an address even when the variable's name does not say so. */
  readonly explicit: boolean;
}

/** Variable or flag names that hold addresses (`PAYMENT_SERVICE_ADDR`, `--db-host`, `DATABASE_URL`). */
export const ADDRESS_NAME = /(ADDR|ADDRESS|HOST|HOSTNAME|URL|URI|ENDPOINT|SERVER|SERVICE|DSN|BROKER|BROKERS|PEER|PEERS|UPSTREAM|BACKEND|TARGET)S?($|[_-])/i;

const URL_RE = /^([a-z][a-z0-9+.-]{0,30}):\/\/(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^:/?#\s,]+)(?::(\d{1,5}))?/i;
const HOST_RE = /^([a-z0-9](?:[a-z0-9_.-]{0,250}[a-z0-9])?)(?::(\d{1,5}))?\/?$/i;
const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]']);

/** At most this many characters of one value are read: addresses are short, a value may not be. */
const MAX_VALUE = 4096;
const MAX_TOKENS = 64;

/**
 * The hosts a value names. A list of addresses (`a:9092,b:9092`) gives each; `--flag=value` is read as
 * its value. Loopback addresses are left out: they name the container itself.
 */
export function hostsIn(value: string): HostRef[] {
  const out: HostRef[] = [];
  const tokens = value.slice(0, MAX_VALUE).split(/[\s,;]+/).slice(0, MAX_TOKENS);
  for (let t of tokens) {
    if (!t) continue;
    // `--db-host=orders-db` and `DSN=postgres://…`: the part after the first '=', unless that '=' is
    // inside a URL's query.
    const eq = t.indexOf('=');
    const scheme = t.indexOf('://');
    if (eq >= 0 && (scheme < 0 || scheme > eq)) t = t.slice(eq + 1);
    t = t.replace(/^["']|["']$/g, '');
    const u = URL_RE.exec(t);
    if (u) {
      const host = u[2].toLowerCase();
      if (!LOCAL.has(host)) out.push({ host, port: u[3] ? Number(u[3]) : undefined, scheme: u[1].toLowerCase(), explicit: true });
      continue;
    }
    const h = HOST_RE.exec(t);
    if (!h || /^\d+$/.test(h[1])) continue;
    const host = h[1].toLowerCase();
    if (LOCAL.has(host) || /^[\d.]+$/.test(host) && !h[2]) continue;
    // A dotted word is an address only when it looks like one: `name.ns` or `x.svc…`, not `1.2` or `v1.2.3`.
    const dotted = host.includes('.') && /^[a-z]/.test(host);
    out.push({ host, port: h[2] ? Number(h[2]) : undefined, explicit: !!h[2] || dotted });
  }
  return out;
}
