/**
 * Kubernetes manifests to a topology: workloads become services (or datastores, or are noted as the
 * broker), Services and Ingresses say who is reachable and how, and container env values and arguments
 * that name a Service become calls. See docs/import/k8s.md for the mapping table.
 */
import { ADDRESS_NAME, hostsIn, type HostRef } from './hosts';
import { brokerForImage, imageName, namedLikeDatabase, protocolFor, storeForImage } from './known';
import { addCall, addService, addUse, assignOwners, emptyModel, note, toId, type ImportedService, type ImportModel, type StoreKind } from './model';
import { entries, get, list, readDocuments, str, type InputDocument, type Value } from './yamlinput';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'DeploymentConfig']);

interface K8sObject {
  readonly kind: string;
  readonly name: string;
  readonly ns: string;
  readonly value: Value;
  readonly where: string;
}

interface Port {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
}

interface KService {
  readonly obj: K8sObject;
  readonly selector: [string, string][];
  readonly type: string;
  readonly ports: Port[];
  readonly workloads: Workload[];
}

interface Workload {
  readonly obj: K8sObject;
  readonly labels: Map<string, string>;
  readonly pod: Value;
  readonly image: string;
  readonly services: KService[];
  role?: { type: 'service'; id: string } | { type: 'store'; id: string; kind: StoreKind; technology?: string } | { type: 'broker'; technology: string };
}

/** What a host can name: a workload's role, or a Service with no selector (endpoints outside the cluster). */
type Target = { workload: Workload; service: KService } | { outside: KService };

/** Where an object was declared, for the provenance comments. */
function label(o: K8sObject): string {
  return `${o.kind}/${o.name}${o.ns !== 'default' ? ` (namespace ${o.ns})` : ''}`;
}

function objectsOf(doc: InputDocument, out: K8sObject[], depth = 0): void {
  const kind = str(get(doc.value, 'kind'));
  if (!kind || depth > 4) return;
  // `kind: List` (what `kubectl get -o yaml` prints) and typed lists (`DeploymentList`) hold items.
  if (kind === 'List' || kind.endsWith('List')) {
    for (const item of list(get(doc.value, 'items'))) objectsOf({ ...doc, value: item }, out, depth + 1);
    return;
  }
  const name = str(get(doc.value, 'metadata', 'name'));
  if (!name) return;
  out.push({ kind, name, ns: str(get(doc.value, 'metadata', 'namespace')) ?? 'default', value: doc.value, where: doc.where });
}

function podTemplate(o: K8sObject): Value {
  if (o.kind === 'Pod') return o.value;
  if (o.kind === 'CronJob') return get(o.value, 'spec', 'jobTemplate', 'spec', 'template');
  return get(o.value, 'spec', 'template');
}

function stringMap(v: Value): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, x] of entries(v)) {
    const s = str(x);
    if (s !== undefined) m.set(k, s);
  }
  return m;
}

function containersOf(pod: Value): Value[] {
  return [...list(get(pod, 'spec', 'containers')), ...list(get(pod, 'spec', 'initContainers'))];
}

export interface ManifestInput {
  readonly path: string;
  readonly text: string;
}

/** Imports Kubernetes manifests (already read from disk) into an import model. */
export function importK8s(inputs: readonly ManifestInput[]): ImportModel {
  const m = emptyModel();
  const objects: K8sObject[] = [];
  for (const input of inputs) for (const doc of readDocuments(input.path, input.text, m.warnings)) objectsOf(doc, objects);

  const configMaps = new Map<string, Map<string, string>>();
  for (const o of objects) if (o.kind === 'ConfigMap') configMaps.set(`${o.name}\u0000${o.ns}`, stringMap(get(o.value, 'data')));

  const workloads: Workload[] = [];
  for (const o of objects) {
    if (!WORKLOADS.has(o.kind)) continue;
    // A ReplicaSet or Pod owned by a Deployment (kubectl output lists them all) is that Deployment.
    if ((o.kind === 'ReplicaSet' || o.kind === 'Pod' || o.kind === 'Job') && list(get(o.value, 'metadata', 'ownerReferences')).length) continue;
    const pod = podTemplate(o);
    const first = containersOf(pod)[0];
    workloads.push({ obj: o, labels: stringMap(get(pod, 'metadata', 'labels')), pod, image: str(get(first, 'image')) ?? '', services: [] });
  }

  // Workloads by namespace and label, so that matching a selector reads only the workloads that carry
  // its first label: near-linear for a cluster's worth of manifests.
  const byLabel = new Map<string, Workload[]>();
  for (const w of workloads) {
    for (const [k, v] of w.labels) {
      const key = `${w.obj.ns}\u0000${k}\u0000${v}`;
      let list = byLabel.get(key);
      if (!list) byLabel.set(key, (list = []));
      list.push(w);
    }
  }
  const services: KService[] = [];
  for (const o of objects) {
    if (o.kind !== 'Service') continue;
    const selector = [...stringMap(get(o.value, 'spec', 'selector'))];
    const ports: Port[] = list(get(o.value, 'spec', 'ports')).map((p) => ({
      name: str(get(p, 'name')),
      port: typeof get(p, 'port') === 'number' ? (get(p, 'port') as number) : undefined,
      targetPort: get(p, 'targetPort') as number | string | undefined,
      appProtocol: str(get(p, 'appProtocol')),
    }));
    const candidates = selector.length ? (byLabel.get(`${o.ns}\u0000${selector[0][0]}\u0000${selector[0][1]}`) ?? []) : [];
    const selected = candidates.filter((w) => selector.every(([k, v]) => w.labels.get(k) === v));
    const s: KService = { obj: o, selector, type: str(get(o.value, 'spec', 'type')) ?? 'ClusterIP', ports, workloads: selected };
    for (const w of selected) w.services.push(s);
    services.push(s);
  }

  // Roles and ids. A name used in several namespaces is qualified with its namespace (`cart.shop`).
  const nameOf = (w: Workload) => [...w.services].sort((a, b) => (a.obj.name < b.obj.name ? -1 : 1))[0]?.obj.name ?? w.obj.name;
  const namespacesByName = new Map<string, Set<string>>();
  for (const w of workloads) {
    const n = nameOf(w);
    let set = namespacesByName.get(n);
    if (!set) namespacesByName.set(n, (set = new Set()));
    set.add(w.obj.ns);
  }
  const used = new Set<string>();
  for (const w of workloads) {
    const n = nameOf(w);
    let id = toId(namespacesByName.get(n)!.size > 1 ? `${n}.${w.obj.ns}` : n);
    for (let i = 2; used.has(id); i++) id = `${toId(n)}-${i}`;
    used.add(id);
    const broker = brokerForImage(w.image);
    const store = storeForImage(w.image);
    if (broker) w.role = { type: 'broker', technology: broker };
    else if (store || namedLikeDatabase(n) || namedLikeDatabase(w.obj.name) || namedLikeDatabase(imageName(w.image))) w.role = { type: 'store', id, kind: store?.kind ?? 'database', technology: store?.technology };
    else w.role = { type: 'service', id };
  }

  for (const w of workloads) {
    const r = w.role!;
    const from = `${label(w.obj)}${w.image ? ` image ${w.image}` : ''}`;
    if (r.type === 'service') {
      const s = addService(m, r.id, label(w.obj));
      if (w.obj.kind === 'Job' || w.obj.kind === 'CronJob') s.kind = 'job';
    } else if (r.type === 'store') {
      m.datastores.set(r.id, { id: r.id, kind: r.kind, technology: r.technology, from });
    } else {
      note(m.notes, `The broker: ${r.technology} (${label(w.obj)}). Brokers are not services; events name it as their broker.`);
    }
  }

  // Exposure: LoadBalancer and NodePort Services, Ingress and HTTPRoute backends.
  const byServiceName = new Map<string, KService>();
  for (const s of services) byServiceName.set(`${s.obj.name}\u0000${s.obj.ns}`, s);
  const expose = (s: KService | undefined, why: string) => {
    for (const w of s?.workloads ?? []) {
      if (w.role?.type !== 'service') continue;
      const svc = m.services.get(w.role.id)!;
      if (!svc.exposure) {
        svc.exposure = 'external';
        svc.exposureFrom = why;
      }
    }
  };
  for (const s of services) if (s.type === 'LoadBalancer' || s.type === 'NodePort') expose(s, `Service/${s.obj.name} is a ${s.type}`);
  for (const o of objects) {
    if (o.kind === 'Ingress') {
      const backends: Value[] = [get(o.value, 'spec', 'defaultBackend'), get(o.value, 'spec', 'backend')];
      for (const rule of list(get(o.value, 'spec', 'rules'))) for (const p of list(get(rule, 'http', 'paths'))) backends.push(get(p, 'backend'));
      for (const b of backends) {
        const name = str(get(b, 'service', 'name')) ?? str(get(b, 'serviceName'));
        if (name) expose(byServiceName.get(`${name}\u0000${o.ns}`), `Ingress/${o.name}`);
      }
    } else if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
      for (const rule of list(get(o.value, 'spec', 'rules'))) {
        for (const ref of list(get(rule, 'backendRefs'))) {
          const name = str(get(ref, 'name'));
          const ns = str(get(ref, 'namespace')) ?? o.ns;
          if (name && (str(get(ref, 'kind')) ?? 'Service') === 'Service') expose(byServiceName.get(`${name}\u0000${ns}`), `${o.kind}/${o.name}`);
        }
      }
    }
  }

  const resolve = (host: string, callerNs: string): Target | undefined => {
    const labels = host.replace(/\.$/, '').split('.');
    const svcAt = labels.indexOf('svc');
    const candidates: [string, string][] = [];
    if (svcAt === 2) candidates.push([labels[0], labels[1]]);
    else if (svcAt === 3) candidates.push([labels[1], labels[2]]);
    else if (svcAt < 0) {
      if (labels.length === 1) candidates.push([labels[0], callerNs]);
      else if (labels.length === 2) candidates.push([labels[0], labels[1]], [labels[1], callerNs]);
      else if (labels.length === 3) candidates.push([labels[1], labels[2]]);
    }
    for (const [name, ns] of candidates) {
      const s = byServiceName.get(`${name}\u0000${ns}`);
      if (!s) continue;
      if (!s.selector.length) return { outside: s };
      if (s.workloads[0]) return { workload: s.workloads[0], service: s };
    }
    return undefined;
  };

  for (const w of workloads) {
    if (w.role?.type !== 'service') continue;
    const caller = m.services.get(w.role.id)!;
    for (const c of containersOf(w.pod)) {
      for (const [name, value, where] of addressesOf(c, w.obj.ns, configMaps, caller)) {
        for (const ref of hostsIn(value)) {
          if (!ref.explicit && !ADDRESS_NAME.test(name)) continue;
          reference(caller, w, ref, resolve(ref.host, w.obj.ns), label(w.obj), where);
        }
      }
    }
  }
  assignOwners(m);
  return m;
}

/** Environment values (literal or from a ConfigMap in the input), then arguments and commands. */
function addressesOf(c: Value, ns: string, configMaps: Map<string, Map<string, string>>, caller: ImportedService): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const e of list(get(c, 'env'))) {
    const name = str(get(e, 'name')) ?? '';
    const literal = str(get(e, 'value'));
    if (literal !== undefined) {
      out.push([name, literal, `env ${name}`]);
      continue;
    }
    const cmRef = get(e, 'valueFrom', 'configMapKeyRef');
    if (cmRef !== undefined) {
      const cm = str(get(cmRef, 'name')) ?? '';
      const key = str(get(cmRef, 'key')) ?? '';
      const v = configMaps.get(`${cm}\u0000${ns}`)?.get(key);
      if (v !== undefined) out.push([name, v, `env ${name} (ConfigMap/${cm} ${key})`]);
      else if (ADDRESS_NAME.test(name)) note(caller.notes, `env ${name} comes from ConfigMap/${cm}, which is not in the input`);
    } else if (get(e, 'valueFrom', 'secretKeyRef') !== undefined && ADDRESS_NAME.test(name)) {
      // Secrets' values are never read into the output, even when the Secret is in the input.
      note(caller.notes, `env ${name} comes from a Secret, which is not read`);
    }
  }
  for (const e of list(get(c, 'envFrom'))) {
    const cm = str(get(e, 'configMapRef', 'name'));
    if (!cm) continue;
    const data = configMaps.get(`${cm}\u0000${ns}`);
    if (!data) continue;
    const prefix = str(get(e, 'prefix')) ?? '';
    for (const [k, v] of data) out.push([prefix + k, v, `envFrom ConfigMap/${cm} ${k}`]);
  }
  for (const key of ['command', 'args']) {
    const words = list(get(c, key)).map(str).filter((x): x is string => x !== undefined);
    words.forEach((word, i) => {
      // `--db-host orders-db` names its value in the word before; `--db-host=orders-db` in itself.
      const flag = word.startsWith('-') ? word.split('=')[0] : i > 0 && words[i - 1].startsWith('-') ? words[i - 1] : '';
      if (word.startsWith('-') && !word.includes('=')) return;
      out.push([flag, word, `${key} ${flag || word}`.trim()]);
    });
  }
  return out;
}

function reference(caller: ImportedService, w: Workload, ref: HostRef, target: Target | undefined, owner: string, where: string): void {
  const from = `${owner} ${where}`;
  if (!target) {
    if (ref.explicit) note(caller.notes, `${where} names ${ref.host}, which no workload in the input serves`);
    return;
  }
  if ('outside' in target) {
    note(caller.notes, `${where} names Service/${target.outside.obj.name}, which has no selector (endpoints outside the cluster)`);
    return;
  }
  const role = target.workload.role!;
  if (target.workload === w) return;
  if (role.type === 'service') {
    const c = addCall(caller, role.id, from, 'sync', protocolFor(ref.scheme) ?? portProtocol(target.service, ref.port));
    c.count++;
  } else if (role.type === 'store') {
    addUse(caller, role.id, 'readwrite', from);
  } else {
    note(caller.notes, `${where} names the ${role.technology} broker; the events it carries are not in manifests`);
  }
}

function portProtocol(s: KService, port: number | undefined): string | undefined {
  const p = port === undefined ? (s.ports.length === 1 ? s.ports[0] : undefined) : s.ports.find((x) => x.port === port || x.targetPort === port);
  if (!p) return undefined;
  return protocolFor(p.appProtocol) ?? protocolFor(p.name);
}
