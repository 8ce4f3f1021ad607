import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { z } from 'zod';
import type { K8sObject } from './kustomize.ts';

interface Validating {
  validate(): void;
}

/** The Kubernetes schemas (kubernetes-models, generated from the API's OpenAPI), by apiVersion and kind. */
const MODELS: Record<string, new (data: never) => Validating> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const quantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m)?$/, 'expected a Kubernetes quantity');

/**
 * CloudNativePG's Cluster has no published model package: the fields used here, as its API reference
 * (postgresql.cnpg.io/v1) defines them, with unknown fields refused.
 */
const cnpgCluster = z.strictObject({
  apiVersion: z.literal('postgresql.cnpg.io/v1'),
  kind: z.literal('Cluster'),
  metadata: z.object({ name: z.string().min(1) }).loose(),
  spec: z.strictObject({
    instances: z.number().int().min(1),
    imageName: z.string().min(1).optional(),
    primaryUpdateStrategy: z.enum(['unsupervised', 'supervised']).optional(),
    bootstrap: z.strictObject({ initdb: z.strictObject({ database: z.string(), owner: z.string() }) }).optional(),
    postgresql: z.strictObject({ parameters: z.record(z.string(), z.string()) }).optional(),
    storage: z.strictObject({ size: quantity, storageClass: z.string().optional() }),
    resources: z
      .strictObject({
        requests: z.record(z.string(), quantity).optional(),
        limits: z.record(z.string(), quantity).optional(),
      })
      .optional(),
    monitoring: z.strictObject({ enablePodMonitor: z.boolean() }).optional(),
  }),
});

/** Why an object does not match its schema, or undefined when it does. */
export function schemaProblem(object: K8sObject): string | undefined {
  const id = `${object.kind} ${object.metadata.name}`;
  if (object.apiVersion === 'postgresql.cnpg.io/v1' && object.kind === 'Cluster') {
    const parsed = cnpgCluster.safeParse(object);
    return parsed.success
      ? undefined
      : `${id}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
  }
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `${id}: no schema known for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object as never).validate();
    return undefined;
  } catch (error) {
    return `${id}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
