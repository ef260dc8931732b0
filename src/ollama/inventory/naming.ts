// Model names exactly as `ollama list` shows them, from a manifest's path under <models>/manifests.
// Mirrors Ollama's types/model/name.go: ParseNameFromFilepath, IsFullyQualified, DisplayShortest.

const DEFAULT_HOST = 'registry.ollama.ai';
const DEFAULT_NAMESPACE = 'library';

/** The four directory levels of `<models>/manifests/<host>/<namespace>/<model>/<tag>`. */
interface ManifestName {
  readonly host: string;
  readonly namespace: string;
  readonly model: string;
  readonly tag: string;
}

type PartKind = keyof ManifestName;

const MAX_LENGTH: Record<PartKind, number> = { host: 350, namespace: 80, model: 80, tag: 80 };

/**
 * Ollama's isValidPart: first character alphanumeric or `_`; then also `-` and `_`,
 * `.` except in the namespace, `:` only in the host (a port).
 */
export function isValidNamePart(kind: PartKind, part: string): boolean {
  if (part.length < 1 || part.length > MAX_LENGTH[kind]) return false;
  if (!/^[A-Za-z0-9_]/.test(part)) return false;
  const rest = kind === 'host' ? /^[A-Za-z0-9_.:-]*$/ : kind === 'namespace' ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9_.-]*$/;
  return rest.test(part.slice(1));
}

/**
 * The name of a manifest from its path relative to `<models>/manifests` ('/'-separated),
 * or null when Ollama would not list it either (not four levels, or an invalid part).
 */
export function nameFromManifestPath(relativePath: string): ManifestName | null {
  const parts = relativePath.split('/');
  if (parts.length !== 4) return null;
  const [host, namespace, model, tag] = parts as [string, string, string, string];
  const name: ManifestName = { host, namespace, model, tag };
  const valid = (Object.keys(MAX_LENGTH) as PartKind[]).every((kind) => isValidNamePart(kind, name[kind]));
  return valid ? name : null;
}

/**
 * Ollama's DisplayShortest: `model:tag` on registry.ollama.ai/library, `namespace/model:tag`
 * elsewhere on registry.ollama.ai, `host/namespace/model:tag` on other registries.
 * The defaults compare case-insensitively; the parts keep their case.
 */
export function displayName(name: ManifestName): string {
  const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  let prefix = '';
  if (!sameText(name.host, DEFAULT_HOST)) prefix = `${name.host}/${name.namespace}/`;
  else if (!sameText(name.namespace, DEFAULT_NAMESPACE)) prefix = `${name.namespace}/`;
  return `${prefix}${name.model}:${name.tag}`;
}
