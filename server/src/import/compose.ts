/**
 * A Compose file to a topology: each Compose service becomes a service, a datastore, or is noted as the
 * broker; `environment` values that name another service (by its name, `hostname`, network alias or
 * link alias) become calls, and so do `depends_on` and `links` that no variable explains. Published
 * `ports` mean `exposure: external`. See docs/import/compose.md.
 */
import { ADDRESS_NAME, hostsIn } from './hosts';
import { brokerForImage, imageName, namedLikeDatabase, protocolFor, storeForImage } from './known';
import { addCall, addService, addUse, assignOwners, emptyModel, note, toId, type ImportModel, type StoreKind } from './model';
import { entries, get, list, readDocuments, str, type Value } from './yamlinput';

type Role = { type: 'service'; id: string } | { type: 'store'; id: string; kind: StoreKind; technology?: string } | { type: 'broker'; technology: string };

interface ComposeService {
  readonly name: string;
  readonly value: Value;
  readonly image: string;
  readonly role: Role;
}

/** `environment` as a list of `KEY=VALUE` or a map. */
function environment(v: Value): [string, string][] {
  if (Array.isArray(v)) {
    return v.map(str).filter((x): x is string => x !== undefined).map((s) => {
      const eq = s.indexOf('=');
      return eq < 0 ? [s, ''] : [s.slice(0, eq), s.slice(eq + 1)];
    });
  }
  return entries(v).map(([k, x]) => [k, str(x) ?? '']);
}

/** `depends_on` as a list, or a map whose values carry `condition`. */
function dependsOn(v: Value): string[] {
  if (Array.isArray(v)) return v.map(str).filter((x): x is string => !!x);
  return entries(v).map(([k]) => k);
}

export function importCompose(path: string, text: string): ImportModel {
  const m = emptyModel();
  const docs = readDocuments(path, text, m.warnings);
  const root = docs[0]?.value;
  const services = get(root, 'services');
  if (!(services instanceof Map)) {
    m.warnings.push(`${path}: no 'services' mapping; is this a Compose file?`);
    return m;
  }
  const all: ComposeService[] = [];
  const names = new Map<string, ComposeService>();
  const used = new Set<string>();
  for (const [name, value] of entries(services)) {
    const image = str(get(value, 'image')) ?? '';
    let id = toId(name);
    for (let i = 2; used.has(id); i++) id = `${toId(name)}-${i}`;
    used.add(id);
    const broker = brokerForImage(image) ?? brokerForImage(name);
    const store = storeForImage(image) ?? (image ? undefined : storeForImage(name));
    const role: Role = broker
      ? { type: 'broker', technology: broker }
      : store || namedLikeDatabase(name) || namedLikeDatabase(imageName(image))
        ? { type: 'store', id, kind: store?.kind ?? 'database', technology: store?.technology }
        : { type: 'service', id };
    const s: ComposeService = { name, value, image, role };
    all.push(s);
    // The DNS names other containers reach it by: the service name, its hostname, network aliases.
    names.set(name.toLowerCase(), s);
    const hostname = str(get(value, 'hostname'));
    if (hostname) names.set(hostname.toLowerCase(), s);
    for (const [, net] of entries(get(value, 'networks'))) for (const a of list(get(net, 'aliases'))) if (str(a)) names.set(str(a)!.toLowerCase(), s);
  }
  for (const s of all) {
    const from = `services.${s.name}${s.image ? ` image ${s.image}` : ''}`;
    if (s.role.type === 'service') {
      const svc = addService(m, s.role.id, `services.${s.name}`);
      const ports = list(get(s.value, 'ports'));
      if (ports.length) {
        svc.exposure = 'external';
        svc.exposureFrom = 'publishes ports';
      }
    } else if (s.role.type === 'store') {
      m.datastores.set(s.role.id, { id: s.role.id, kind: s.role.kind, technology: s.role.technology, from });
    } else {
      note(m.notes, `The broker: ${s.role.technology} (services.${s.name}). Brokers are not services; events name it as their broker.`);
    }
  }

  for (const s of all) {
    if (s.role.type !== 'service') continue;
    const caller = m.services.get(s.role.id)!;
    // Link aliases (`db:database`) are names too, for this service only.
    const local = new Map(names);
    const linked: string[] = [];
    for (const l of list(get(s.value, 'links')).map(str)) {
      if (!l) continue;
      const [target, alias] = l.split(':');
      const t = names.get(target.toLowerCase());
      if (t && alias) local.set(alias.toLowerCase(), t);
      linked.push(target);
    }
    const referenced = new Set<ComposeService>();
    const refer = (t: ComposeService, from: string, scheme?: string, port?: number) => {
      if (t === s) return;
      referenced.add(t);
      if (t.role.type === 'service') addCall(caller, t.role.id, from, 'sync', protocolFor(scheme) ?? portName(t.value, port)).count++;
      else if (t.role.type === 'store') addUse(caller, t.role.id, 'readwrite', from);
      else note(caller.notes, `${from.replace(/^services\.\S+ /, '')} names the ${t.role.technology} broker; the events it carries are not in a Compose file`);
    };
    for (const [key, value] of environment(get(s.value, 'environment'))) {
      for (const ref of hostsIn(value)) {
        if (!ref.explicit && !ADDRESS_NAME.test(key)) continue;
        const t = local.get(ref.host);
        if (t) refer(t, `services.${s.name} environment ${key}`, ref.scheme, ref.port);
        else if (ref.explicit) note(caller.notes, `environment ${key} names ${ref.host}, which no service in the file is`);
      }
    }
    const command = get(s.value, 'command');
    const words = Array.isArray(command) ? command.map(str).filter((x): x is string => !!x) : (str(command) ?? '').split(/\s+/);
    words.forEach((w, i) => {
      const flag = w.startsWith('-') ? w.split('=')[0] : i > 0 && words[i - 1].startsWith('-') ? words[i - 1] : '';
      if (!w || (w.startsWith('-') && !w.includes('='))) return;
      for (const ref of hostsIn(w)) {
        if (!ref.explicit && !ADDRESS_NAME.test(flag)) continue;
        const t = local.get(ref.host);
        if (t) refer(t, `services.${s.name} command ${flag || w}`, ref.scheme, ref.port);
      }
    });
    for (const [key, list_] of [['depends_on', dependsOn(get(s.value, 'depends_on'))], ['links', linked]] as const) {
      for (const d of list_) {
        const t = names.get(d.toLowerCase());
        if (t && !referenced.has(t)) refer(t, `services.${s.name} ${key}`);
      }
    }
  }
  assignOwners(m);
  return m;
}

/** The protocol a Compose service's port says: only long-syntax ports with `app_protocol` or `name` do. */
function portName(v: Value, port: number | undefined): string | undefined {
  for (const p of [...list(get(v, 'ports')), ...list(get(v, 'expose'))]) {
    if (!(p instanceof Map)) continue;
    const target = get(p, 'target');
    if (port !== undefined && target !== port) continue;
    return protocolFor(str(get(p, 'app_protocol'))) ?? protocolFor(str(get(p, 'name')));
  }
  return undefined;
}
