import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { strategicMerge } from './strategic-merge.ts';

/**
 * Renders a Kustomize directory the way `kubectl kustomize` does, for the part of Kustomize that
 * infra/k8s uses: `resources` (files and directories), `namespace`, `labels` (metadata only),
 * `images` and strategic-merge `patches` by file. Any other field is refused rather than ignored, so
 * the manifests cannot come to rely on something this renderer would silently skip.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string }[];
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
/** Kinds that live outside namespaces (of those infra/k8s could contain). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export class KustomizeError extends Error {
  override name = 'KustomizeError';
}

export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new KustomizeError(`${dir}: no kustomization.yaml`);
  const k = readYamlDocuments(file)[0] as Kustomization | undefined;
  if (!k || typeof k !== 'object') throw new KustomizeError(`${file}: empty`);
  for (const field of Object.keys(k)) {
    if (!KNOWN_FIELDS.has(field))
      throw new KustomizeError(`${file}: field "${field}" is not supported by this renderer`);
  }
  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource ${entry} does not exist`);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path)));
  }
  for (const patch of k.patches ?? []) {
    for (const p of readObjects(resolve(dir, patch.path))) {
      const index = objects.findIndex((o) => sameObject(o, p));
      if (index < 0) throw new KustomizeError(`${patch.path}: no ${p.kind} ${p.metadata.name} to patch`);
      objects[index] = strategicMerge(objects[index], p) as K8sObject;
    }
  }
  for (const { pairs } of k.labels ?? []) {
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, ...pairs } } }));
  }
  if (k.images) objects = objects.map((o) => setImages(o, k.images ?? []));
  if (k.namespace) {
    const namespace = k.namespace;
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } }));
  }
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new KustomizeError(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
  return objects;
}

function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new KustomizeError(`${file}: ${doc.errors[0]?.message}`);
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

function readObjects(file: string): K8sObject[] {
  return readYamlDocuments(file)
    .filter((o) => o !== null)
    .map((o) => {
      const object = o as Partial<K8sObject>;
      if (!object.apiVersion || !object.kind || !object.metadata?.name) {
        throw new KustomizeError(`${file}: every object needs apiVersion, kind and metadata.name`);
      }
      return object as K8sObject;
    });
}

const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

function sameObject(a: K8sObject, b: K8sObject): boolean {
  return a.kind === b.kind && group(a.apiVersion) === group(b.apiVersion) && a.metadata.name === b.metadata.name;
}

/** Kustomize's `images`: rewrites `image:` of every container whose image name matches. */
function setImages(object: K8sObject, images: NonNullable<Kustomization['images']>): K8sObject {
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) {
      return value.map((item) => {
        const container = item as { image?: unknown } | null;
        if ((key === 'containers' || key === 'initContainers') && typeof container?.image === 'string') {
          return { ...(walk(item, undefined) as object), image: rewrite(container.image) };
        }
        return walk(item, undefined);
      });
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  const rewrite = (image: string): string => {
    const name = image.replace(/[:@].*$/, '');
    const rule = images.find((i) => i.name === name);
    if (!rule) return image;
    return `${rule.newName ?? name}:${rule.newTag ?? (image.includes(':') ? image.split(':')[1] : 'latest')}`;
  };
  return walk(object, undefined) as K8sObject;
}

// `node scripts/k8s/kustomize.ts <dir>` prints the rendered manifests (what `kubectl kustomize <dir>` prints).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../infra/k8s/base');
  process.stdout.write(
    renderKustomization(dir)
      .map((o) => stringify(o))
      .join('---\n'),
  );
}
