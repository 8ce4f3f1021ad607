import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configVariableNames, loadConfig } from '@avtrz/shared/config';
import type { K8sObject } from './kustomize.ts';

/**
 * The checks a schema cannot make: every name one object uses is defined by another, and what the
 * pods are told matches what the apps do. Returns one line per problem (none when all is well).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Variables the deployment sets that the apps' config schema does not read. */
export const INFRA_ONLY_VARIABLES = new Set([
  'NODE_OPTIONS',
  'MALLOC_ARENA_MAX',
  // The metrics endpoints (API 9464, admin 9465, worker 9466) read it; until that config lands, the
  // apps ignore it and the ports stay closed.
  'METRICS_PORT',
]);

/** Keys of the Secret CloudNativePG makes for a cluster's owner (`<cluster>-app`). */
const CNPG_APP_SECRET_KEYS = ['uri', 'username', 'password', 'host', 'port', 'dbname', 'jdbc-uri', 'pgpass'];

/** What each app listens on, from its command. */
const APPS: Record<string, { portVariable?: 'API_PORT' | 'ADMIN_PORT'; metricsPort?: number }> = {
  'apps/api/src/main.ts': { portVariable: 'API_PORT', metricsPort: 9464 },
  'apps/admin-graphql/src/main.ts': { portVariable: 'ADMIN_PORT', metricsPort: 9465 },
  'apps/worker/src/main.ts': { metricsPort: 9466 },
  'scripts/migrate.ts': {},
};

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: SecretRef; configMapKeyRef?: SecretRef } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface SecretRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
export interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string }[];
}
type Labels = Record<string, string>;

const spec = (o: K8sObject) => o.spec as Record<string, unknown>;
export const podTemplateOf = (o: K8sObject) =>
  o.kind === 'Deployment' || o.kind === 'Job'
    ? (spec(o).template as { metadata?: { labels?: Labels }; spec: PodSpec })
    : undefined;

const matches = (selector: Labels | undefined, labels: Labels | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The app a container runs (`node <script>`), if it is one of ours. */
export const appOf = (c: Container) => (c.command?.[0] === 'node' ? c.command[1] : undefined);

export function referenceProblems(objects: K8sObject[], sampleSecretValue = sampleValue): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const clusters = byKind('Cluster').map((c) => c.metadata.name);
  const workloads = objects.filter((o) => podTemplateOf(o));

  const secretValue = (ref: SecretRef): string | undefined => {
    const cluster = clusters.find((c) => ref.name === `${c}-app`);
    if (cluster) return CNPG_APP_SECRET_KEYS.includes(ref.key) ? sampleSecretValue(ref.key) : undefined;
    const secret = find('Secret', ref.name) as { stringData?: Labels; data?: Labels } | undefined;
    return secret?.stringData?.[ref.key] ?? secret?.data?.[ref.key];
  };

  for (const w of workloads) {
    const where = `${w.kind} ${w.metadata.name}`;
    const template = podTemplateOf(w)!;
    const pod = template.spec;
    if (w.kind === 'Deployment') {
      const selector = (spec(w).selector as { matchLabels?: Labels }).matchLabels;
      if (!matches(selector, template.metadata?.labels)) problems.push(`${where}: selector does not match its pods`);
    }
    if (pod.securityContext?.runAsNonRoot !== true || !pod.securityContext.runAsUser)
      problems.push(`${where}: pods must run as a non-root uid`);
    const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const app = appOf(c);
      if (!app || !APPS[app] || !existsSync(root + app))
        problems.push(`${at}: runs ${c.command?.join(' ')}, not an app`);
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root file system must be read-only`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: privilege escalation must be off`);
      if (!sc.capabilities?.drop?.includes('ALL')) problems.push(`${at}: must drop all capabilities`);
      if (!c.resources?.requests?.cpu || !c.resources.requests.memory || !c.resources.limits?.memory)
        problems.push(`${at}: needs cpu and memory requests and a memory limit`);
      for (const m of c.volumeMounts ?? [])
        if (!volumes.has(m.name)) problems.push(`${at}: mounts ${m.name}, which is no volume of the pod`);
      if (!(c.volumeMounts ?? []).some((m) => m.mountPath === '/tmp'))
        problems.push(`${at}: needs a writable /tmp (the root file system is read-only)`);

      // The environment the container gets, checked against the apps' config schema.
      const env: Record<string, string | undefined> = {};
      for (const from of c.envFrom ?? []) {
        if (from.secretRef) problems.push(`${at}: envFrom a Secret hides which keys it needs; use secretKeyRef`);
        const name = from.configMapRef?.name;
        if (!name) continue;
        const map = find('ConfigMap', name) as { data?: Labels } | undefined;
        if (!map) problems.push(`${at}: ConfigMap ${name} does not exist`);
        Object.assign(env, map?.data ?? {});
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          const value = secretValue(ref);
          if (value === undefined && !ref.optional)
            problems.push(`${at}: ${e.name} needs key ${ref.key} of Secret ${ref.name}`);
          env[e.name] = value;
        } else env[e.name] = e.value;
      }
      for (const name of Object.keys(env)) {
        if (!configVariableNames.includes(name) && !INFRA_ONLY_VARIABLES.has(name))
          problems.push(`${at}: sets ${name}, which no app reads`);
      }
      if (!env.DATABASE_URL) problems.push(`${at}: has no DATABASE_URL`);
      let config: ReturnType<typeof loadConfig> | undefined;
      try {
        config = loadConfig(env);
      } catch (error) {
        problems.push(`${at}: the config refuses its environment: ${(error as Error).message}`);
      }
      const facts = app ? APPS[app] : undefined;
      const ports = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      if (facts?.portVariable && config) {
        const listens = facts.portVariable === 'API_PORT' ? config.apiPort : config.adminPort;
        if (ports.get('http') !== listens)
          problems.push(`${at}: port http is ${ports.get('http')}, the app listens on ${listens}`);
        if (config.host !== '0.0.0.0') problems.push(`${at}: HOST must be 0.0.0.0 to be reachable`);
      }
      if (facts?.metricsPort !== undefined && w.kind === 'Deployment') {
        if (ports.get('metrics') !== facts.metricsPort || env.METRICS_PORT !== String(facts.metricsPort))
          problems.push(`${at}: metrics must be on port ${facts.metricsPort} (port and METRICS_PORT)`);
      }
      for (const [kind, probe] of [
        ['liveness', c.livenessProbe],
        ['readiness', c.readinessProbe],
        ['startup', c.startupProbe],
      ] as const) {
        if (!probe?.httpGet) continue;
        if (
          typeof probe.httpGet.port === 'string'
            ? !ports.has(probe.httpGet.port)
            : ![...ports.values()].includes(probe.httpGet.port)
        )
          problems.push(`${at}: ${kind} probe uses port ${probe.httpGet.port}, which the container does not have`);
        const expected = kind === 'readiness' ? '/readyz' : '/healthz';
        if (probe.httpGet.path !== expected) problems.push(`${at}: ${kind} probe must ask ${expected}`);
      }
      if (facts?.portVariable && (!c.livenessProbe?.httpGet || !c.readinessProbe?.httpGet))
        problems.push(`${at}: needs liveness and readiness probes`);
    }
  }

  const podsSelectedBy = (selector: Labels | undefined) =>
    workloads.filter((w) => w.kind === 'Deployment' && matches(selector, podTemplateOf(w)?.metadata?.labels));
  const portNames = (ws: K8sObject[]) =>
    new Set(ws.flatMap((w) => podTemplateOf(w)!.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name))));

  for (const s of byKind('Service')) {
    const sspec = spec(s) as { selector?: Labels; ports: { name: string; targetPort: string | number }[] };
    const selected = podsSelectedBy(sspec.selector);
    if (selected.length !== 1)
      problems.push(`Service ${s.metadata.name}: selects ${selected.length} Deployments, not 1`);
    const names = portNames(selected);
    for (const p of sspec.ports)
      if (typeof p.targetPort !== 'string' || !names.has(p.targetPort))
        problems.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is no named port of its pods`);
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    const pspec = spec(pdb) as { selector: { matchLabels?: Labels }; minAvailable?: number; maxUnavailable?: number };
    const selected = podsSelectedBy(pspec.selector.matchLabels);
    if (selected.length !== 1)
      problems.push(`PodDisruptionBudget ${pdb.metadata.name}: selects ${selected.length} Deployments`);
    const replicas = (selected[0] && (spec(selected[0]).replicas as number)) ?? 1;
    if (pspec.minAvailable !== undefined && pspec.minAvailable >= replicas)
      problems.push(
        `PodDisruptionBudget ${pdb.metadata.name}: minAvailable ${pspec.minAvailable} blocks every eviction`,
      );
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = (spec(hpa).scaleTargetRef as { kind: string; name: string }) ?? {};
    const deployment = find(target.kind, target.name);
    if (!deployment) problems.push(`HorizontalPodAutoscaler ${hpa.metadata.name}: no ${target.kind} ${target.name}`);
    else if (!podTemplateOf(deployment)!.spec.containers.every((c) => c.resources?.requests?.cpu))
      problems.push(`HorizontalPodAutoscaler ${hpa.metadata.name}: CPU utilisation needs CPU requests`);
  }
  for (const sm of byKind('ServiceMonitor')) {
    const smspec = spec(sm) as { selector: { matchLabels?: Labels }; endpoints: { port: string }[] };
    const services = byKind('Service').filter((s) => matches(smspec.selector.matchLabels, s.metadata.labels));
    for (const e of smspec.endpoints) {
      const withPort = services.filter((s) => (spec(s).ports as { name: string }[]).some((p) => p.name === e.port));
      const apps = new Set(withPort.map((s) => s.metadata.labels?.['app.kubernetes.io/component']));
      for (const component of ['api', 'admin', 'worker'])
        if (!apps.has(component))
          problems.push(`ServiceMonitor ${sm.metadata.name}: scrapes no ${component} Service on port ${e.port}`);
    }
  }
  for (const np of byKind('NetworkPolicy')) {
    const npspec = spec(np) as {
      podSelector: { matchLabels?: Labels; matchExpressions?: { key: string; values: string[] }[] };
      ingress?: { ports?: { port: string | number }[] }[];
    };
    const selected = workloads.filter((w) => {
      const labels = podTemplateOf(w)?.metadata?.labels ?? {};
      return (
        Object.entries(npspec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
        (npspec.podSelector.matchExpressions ?? []).every((e) => e.values.includes(labels[e.key] ?? ''))
      );
    });
    if (selected.length === 0) problems.push(`NetworkPolicy ${np.metadata.name}: selects no pods`);
    const names = portNames(selected);
    for (const rule of npspec.ingress ?? [])
      for (const p of rule.ports ?? [])
        if (typeof p.port === 'string' && !names.has(p.port))
          problems.push(`NetworkPolicy ${np.metadata.name}: port ${p.port} is no named port of the pods it selects`);
  }
  const denyAll = byKind('NetworkPolicy').find((np) => {
    const s = spec(np) as { ingress?: unknown; egress?: unknown; policyTypes?: string[] };
    return !s.ingress && !s.egress && s.policyTypes?.includes('Ingress') && s.policyTypes.includes('Egress');
  });
  if (!denyAll) problems.push('no NetworkPolicy denies what is not allowed');
  return problems;
}

function sampleValue(key: string): string {
  return key === 'uri' ? 'postgres://avtrz:secret@avtrz-db-rw:5432/avtrz' : 'sample';
}
