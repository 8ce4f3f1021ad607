import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { H3 } from 'h3';
import { describe, expect, test } from 'vitest';
import { registerHealthRoutes } from '@avtrz/shared/http/health-routes';
import { apiNodeFlags, apiStartEnvironment } from '../api-node-flags.ts';
import { appOf, podTemplateOf, referenceProblems } from '../k8s/check-references.ts';
import { type K8sObject, renderKustomization } from '../k8s/kustomize.ts';
import { schemaProblem } from '../k8s/validate-objects.ts';

// The Kubernetes manifests (infra/k8s) rendered as `kubectl kustomize` would, every object validated
// against the Kubernetes schemas, and every name one object uses checked against the object or the
// app that defines it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const LAYOUTS = ['infra/k8s/base', 'infra/k8s/overlays/production'];
/** Peak RSS of an API process under load, measured by `pnpm bench` (infra/README.md). */
const MEASURED_API_PEAK_RSS_MIB = 130;

const render = (dir: string) => renderKustomization(join(root, dir));
const one = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const mebibytes = (quantity: string) => {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unexpected quantity ${quantity}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
};
const containerOf = (objects: K8sObject[], kind: string, name: string) =>
  podTemplateOf(one(objects, kind, name))!.spec.containers[0]!;

describe.each(LAYOUTS)('%s', (layout) => {
  test('renders, and every object matches its Kubernetes schema', () => {
    const objects = render(layout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'ConfigMap/avtrz-config',
        'Secret/avtrz',
        'Job/avtrz-migrate',
        'Deployment/avtrz-api',
        'Deployment/avtrz-admin',
        'Deployment/avtrz-worker',
        'Service/avtrz-api',
        'Service/avtrz-admin',
        'HorizontalPodAutoscaler/avtrz-api',
        'PodDisruptionBudget/avtrz-api',
        'PodDisruptionBudget/avtrz-admin',
        'PodDisruptionBudget/avtrz-worker',
        'NetworkPolicy/avtrz-default-deny',
        'ServiceMonitor/avtrz',
      ]),
    );
    expect(objects.map(schemaProblem).filter(Boolean)).toEqual([]);
  });

  test('every reference resolves: ports, probes, env names against the config schema, Secret keys, selectors', () => {
    expect(referenceProblems(render(layout))).toEqual([]);
  });

  test('the API runs with the flags of its start script, with memory above its measured peak, scaled on CPU', () => {
    const objects = render(layout);
    const api = containerOf(objects, 'Deployment', 'avtrz-api');
    expect(api.env?.find((e) => e.name === 'NODE_OPTIONS')?.value?.split(/\s+/)).toEqual(apiNodeFlags());
    for (const [name, value] of Object.entries(apiStartEnvironment()))
      expect(api.env?.find((e) => e.name === name)?.value, name).toBe(value);
    const request = mebibytes(api.resources!.requests!.memory!);
    const limit = mebibytes(api.resources!.limits!.memory!);
    expect(request).toBeGreaterThanOrEqual(MEASURED_API_PEAK_RSS_MIB);
    expect(limit).toBeGreaterThanOrEqual(2 * MEASURED_API_PEAK_RSS_MIB);
    const hpa = one(objects, 'HorizontalPodAutoscaler', 'avtrz-api').spec as {
      metrics: { resource: { name: string } }[];
    };
    expect(hpa.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
  });

  test('the probe paths are the ones the apps answer', async () => {
    const app = new H3();
    registerHealthRoutes(app, async () => undefined);
    const paths = render(layout)
      .flatMap((o) => podTemplateOf(o)?.spec.containers ?? [])
      .flatMap((c) => [c.livenessProbe, c.readinessProbe, c.startupProbe])
      .map((p) => p?.httpGet?.path)
      .filter((p): p is string => !!p);
    expect(new Set(paths)).toEqual(new Set(['/healthz', '/readyz']));
    for (const path of new Set(paths)) expect((await app.request(path)).status, path).toBe(200);
  });
});

describe('infra/k8s/overlays/production', () => {
  test('takes DATABASE_URL from the CloudNativePG cluster it defines, images from S3, and its image tag', () => {
    const objects = render('infra/k8s/overlays/production');
    expect(one(objects, 'Cluster', 'avtrz-db').apiVersion).toBe('postgresql.cnpg.io/v1');
    for (const o of objects.filter((o) => podTemplateOf(o))) {
      const c = podTemplateOf(o)!.spec.containers[0]!;
      expect(c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef, appOf(c)).toEqual({
        name: 'avtrz-db-app',
        key: 'uri',
      });
      expect(c.image).toBe('registry.example.com/avtrz:1.0.0');
      expect(o.metadata.namespace).toBe('avtrz');
    }
    const config = one(objects, 'ConfigMap', 'avtrz-config') as unknown as { data: Record<string, string> };
    expect(config.data).toMatchObject({ STORAGE_DRIVER: 's3', S3_BUCKET: 'avtrz-images', S3_FORCE_PATH_STYLE: 'true' });
    expect(
      Object.keys((one(objects, 'Secret', 'avtrz') as unknown as { stringData: object }).stringData),
    ).not.toContain('DATABASE_URL');
  });
});

describe('the checks catch broken manifests', () => {
  const broken = (change: (objects: K8sObject[]) => void) => {
    const objects = structuredClone(render('infra/k8s/base'));
    change(objects);
    return referenceProblems(objects);
  };

  test('a Service port that names no container port', () => {
    expect(
      broken((objects) => {
        (one(objects, 'Service', 'avtrz-api').spec as { ports: { targetPort: string }[] }).ports[0]!.targetPort = 'web';
      }),
    ).toEqual(['Service avtrz-api: targetPort web is no named port of its pods']);
  });

  test('a variable no app reads, a missing Secret key, a wrong listen port and a writable root', () => {
    const problems = broken((objects) => {
      const api = containerOf(objects, 'Deployment', 'avtrz-api');
      api.env!.push({ name: 'API_PORTT', value: '3000' });
      api.securityContext!.readOnlyRootFilesystem = false;
      const admin = containerOf(objects, 'Deployment', 'avtrz-admin');
      admin.env!.find((e) => e.name === 'OPERATOR_TOKEN')!.valueFrom!.secretKeyRef!.key = 'OPERATOR_TOKN';
      (one(objects, 'ConfigMap', 'avtrz-config') as unknown as { data: Record<string, string> }).data.ADMIN_PORT =
        '4000';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'Deployment avtrz-api container api: sets API_PORTT, which no app reads',
        'Deployment avtrz-api container api: root file system must be read-only',
        'Deployment avtrz-admin container admin: OPERATOR_TOKEN needs key OPERATOR_TOKN of Secret avtrz',
        'Deployment avtrz-admin container admin: port http is 3001, the app listens on 4000',
      ]),
    );
  });

  test('a value the config refuses, and a schema violation', () => {
    expect(
      broken((objects) => {
        (one(objects, 'ConfigMap', 'avtrz-config') as unknown as { data: Record<string, string> }).data.LOG_LEVEL =
          'loud';
      }),
    ).toContainEqual(expect.stringContaining('the config refuses its environment: invalid LOG_LEVEL="loud"'));
    const objects = structuredClone(render('infra/k8s/base'));
    (containerOf(objects, 'Deployment', 'avtrz-api').ports![0] as { containerPort: unknown }).containerPort = 'http';
    expect(schemaProblem(one(objects, 'Deployment', 'avtrz-api'))).toMatch(/containerPort must be integer/);
  });

  test('the renderer refuses Kustomize fields it does not implement instead of skipping them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'avtrz-kustomize-'));
    await writeFile(join(dir, 'kustomization.yaml'), 'resources: []\nnamePrefix: prod-\n');
    expect(() => renderKustomization(dir)).toThrow('field "namePrefix" is not supported by this renderer');
  });
});
