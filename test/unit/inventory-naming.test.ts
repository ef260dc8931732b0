import { describe, expect, it } from 'vitest';
import {
  ManifestError,
  digestHex,
  parseManifest,
  parseModelConfig,
} from '../../src/ollama/inventory/manifest.js';
import { displayName, isValidNamePart, nameFromManifestPath } from '../../src/ollama/inventory/naming.js';

const HEX_A = 'a'.repeat(64);
const HEX_C = 'c'.repeat(63) + 'd';

function name(path: string): string | null {
  const parsed = nameFromManifestPath(path);
  return parsed === null ? null : displayName(parsed);
}

describe('model names as ollama list shows them', () => {
  it.each([
    ['registry.ollama.ai/library/llama3.2/latest', 'llama3.2:latest'],
    ['registry.ollama.ai/library/gemma3/12b', 'gemma3:12b'],
    ['registry.ollama.ai/myuser/assistant/v1', 'myuser/assistant:v1'],
    ['hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF/Q4_K_M', 'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M'],
    ['localhost:5000/team/coder/1.0', 'localhost:5000/team/coder:1.0'],
    // The defaults compare case-insensitively, the shown parts keep their case.
    ['Registry.Ollama.AI/Library/Mistral/7B', 'Mistral:7B'],
    ['REGISTRY.OLLAMA.AI/MyUser/x/y', 'MyUser/x:y'],
  ])('%s -> %s', (path, expected) => {
    expect(name(path)).toBe(expected);
  });

  it.each([
    'registry.ollama.ai/library/llama3.2', // three levels
    'registry.ollama.ai/library/llama3.2/latest/extra', // five levels
    'registry.ollama.ai/library/.hidden/latest', // must start alphanumeric or _
    'registry.ollama.ai/library/llama3.2/latest~', // editor backup
    'registry.ollama.ai/my.user/x/latest', // dots are not allowed in a namespace
    'registry.ollama.ai/library/model:x/latest', // colon only in the host
    'registry.ollama.ai/library//latest',
  ])('%s is not a name Ollama lists', (path) => {
    expect(nameFromManifestPath(path)).toBeNull();
  });

  it('limits part lengths like Ollama (host 350, others 80)', () => {
    expect(isValidNamePart('model', 'm'.repeat(80))).toBe(true);
    expect(isValidNamePart('model', 'm'.repeat(81))).toBe(false);
    expect(isValidNamePart('host', 'h'.repeat(350))).toBe(true);
    expect(isValidNamePart('host', 'h'.repeat(351))).toBe(false);
    expect(isValidNamePart('tag', '_private')).toBe(true);
    expect(isValidNamePart('tag', '-x')).toBe(false);
  });
});

describe('parseManifest', () => {
  const manifest = (layers: unknown[], config: unknown = { mediaType: 'application/vnd.docker.container.image.v1+json', digest: `sha256:${HEX_C}`, size: 487 }) =>
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config, layers });

  it('takes the model layer among the others, lowercasing the digest', () => {
    const info = parseManifest(
      manifest([
        { mediaType: 'application/vnd.ollama.image.template', digest: `sha256:${'1'.repeat(64)}`, size: 1429 },
        { mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${HEX_A.toUpperCase()}`, size: 2019377376 },
        { mediaType: 'application/vnd.ollama.image.params', digest: `sha256:${'2'.repeat(64)}`, size: 96 },
      ]),
    );
    // `ollama list`'s size: the config and every layer (487 + 1429 + 2019377376 + 96).
    expect(info).toEqual({ modelSha256: HEX_A, modelLayerSize: 2019377376, configSha256: HEX_C, totalSize: 2019379388 });
  });

  it('has no layer size or config when the manifest lacks them', () => {
    const info = parseManifest(manifest([{ mediaType: 'application/vnd.ollama.image.model', digest: `sha256:${HEX_A}` }], null));
    expect(info).toEqual({ modelSha256: HEX_A, modelLayerSize: null, configSha256: null, totalSize: null });
  });

  it.each([
    ['{"schemaVersion":2,', /invalid JSON/],
    ['[1,2]', /not a JSON object/],
    [manifest([{ mediaType: 'application/vnd.ollama.image.adapter', digest: `sha256:${HEX_A}`, size: 1 }]), /no layer with mediaType application\/vnd\.ollama\.image\.model/],
    [manifest([{ mediaType: 'application/vnd.ollama.image.model', digest: 'sha256:abc', size: 1 }]), /is not sha256:<64 hex>/],
  ])('rejects %s', (text, reason) => {
    expect(() => parseManifest(text)).toThrow(ManifestError);
    expect(() => parseManifest(text)).toThrow(reason);
  });

  it('reads both digest spellings and nothing else', () => {
    expect(digestHex(`sha256:${HEX_A}`)).toBe(HEX_A);
    expect(digestHex(`sha256-${HEX_A}`)).toBe(HEX_A);
    expect(digestHex(`sha512:${HEX_A}`)).toBeNull();
    expect(digestHex(42)).toBeNull();
  });
});

describe('parseModelConfig', () => {
  it('reads family, parameter size and quantization as ollama list reports them', () => {
    const config = { model_format: 'gguf', model_family: 'llama', model_families: ['llama'], model_type: '3.2B', file_type: 'Q4_K_M', architecture: 'amd64', os: 'linux' };
    expect(parseModelConfig(JSON.stringify(config))).toEqual({ family: 'llama', parameter_size: '3.2B', quantization: 'Q4_K_M' });
  });

  it('falls back to model_families and gives null for what is absent or empty', () => {
    expect(parseModelConfig(JSON.stringify({ model_families: ['', 'qwen2'], model_type: '', architecture: 'amd64' }))).toEqual({
      family: 'qwen2',
      parameter_size: null,
      quantization: null,
    });
    expect(parseModelConfig('{}')).toEqual({ family: null, parameter_size: null, quantization: null });
  });

  it('rejects a config that is not JSON', () => {
    expect(() => parseModelConfig('not json')).toThrow(/invalid JSON/);
  });
});
