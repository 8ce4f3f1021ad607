/**
 * Kubernetes' strategic merge patch for the lists infra/k8s patches: maps merge key by key, `null`
 * removes a key, lists with a merge key in the API (containers and env by `name`, …) merge item by
 * item, and every other list is replaced whole.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function strategicMerge(target: unknown, patch: unknown, key?: string): unknown {
  if (Array.isArray(patch)) {
    const mergeKey = key === undefined ? undefined : MERGE_KEYS[key];
    if (!mergeKey || !Array.isArray(target) || (key === 'ports' && !patch.every((p) => isMap(p) && mergeKey in p))) {
      return patch;
    }
    const result = [...(target as Json[])];
    for (const item of patch as Json[]) {
      const index = isMap(item) ? result.findIndex((t) => isMap(t) && t[mergeKey] === item[mergeKey]) : -1;
      if (index < 0) result.push(item);
      else result[index] = strategicMerge(result[index], item) as Json;
    }
    return result;
  }
  if (!isMap(patch) || !isMap(target)) return patch;
  const result: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = strategicMerge(result[k], v, k);
  }
  return result;
}

function isMap(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
