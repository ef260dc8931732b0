import { describe, expect, it } from 'vitest';
import { INVENTORY_MEASUREMENT } from '../../src/influx/measurements.js';
import { inventoryLines } from '../../src/models-dir/points.js';
import type { InventoryModel } from '../../src/ollama/inventory/manifest.js';

const HEX_A = '6a0746a1ec1aef3e7ec53868f220ff6e389f6f8ef87a01d77c96807de94ca2aa';
const HEX_B = 'dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff';

const models: InventoryModel[] = [
  { model_name: 'gemma3:12b', sha256: HEX_A, size: 8_149_180_896, model_size: 8_149_179_776, family: 'gemma3', parameter_size: '12.2B', quantization: 'Q4_K_M' },
  { model_name: 'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M', sha256: HEX_B, size: 807_694_464, model_size: 807_694_464, family: 'llama', parameter_size: null, quantization: null },
  { model_name: 'myuser/assistant:v1', sha256: HEX_B, size: 807_694_464, model_size: 807_694_464, family: null, parameter_size: null, quantization: null },
];

describe('inventoryLines', () => {
  it('writes one line per name: tags host and model_name; sha256 and details as strings, size as an integer', () => {
    expect(inventoryLines(models, 'gpu-box', '1753228800000000000')).toEqual([
      `ollama_model_inventory,host=gpu-box,model_name=gemma3:12b sha256="${HEX_A}",size=8149180896i,model_size=8149179776i,family="gemma3",parameter_size="12.2B",quantization="Q4_K_M" 1753228800000000000`,
      `ollama_model_inventory,host=gpu-box,model_name=hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M sha256="${HEX_B}",size=807694464i,model_size=807694464i,family="llama" 1753228800000000000`,
      `ollama_model_inventory,host=gpu-box,model_name=myuser/assistant:v1 sha256="${HEX_B}",size=807694464i,model_size=807694464i 1753228800000000000`,
    ]);
    expect(INVENTORY_MEASUREMENT).toBe('ollama_model_inventory');
  });

  it('escapes tag values and string fields', () => {
    const [line] = inventoryLines(
      [{ model_name: 'a b,c=d:latest', sha256: HEX_A, size: 1, model_size: 1, family: 'fam "x" \\ y', parameter_size: null, quantization: null }],
      'my host',
      '1',
    );
    expect(line).toBe(`ollama_model_inventory,host=my\\ host,model_name=a\\ b\\,c\\=d:latest sha256="${HEX_A}",size=1i,model_size=1i,family="fam \\"x\\" \\\\ y" 1`);
  });

  it('is empty for an empty inventory', () => {
    expect(inventoryLines([], 'h', '1')).toEqual([]);
  });

  it('leaves out a model_size that is not a whole number of bytes (size alone still describes the model)', () => {
    const [line] = inventoryLines([{ ...models[2]!, model_size: -1 }], 'h', '1');
    expect(line).toBe(`ollama_model_inventory,host=h,model_name=myuser/assistant:v1 sha256="${HEX_B}",size=807694464i 1`);
  });

  it('refuses what would change a field type or break the line', () => {
    const one = (size: number) => [{ ...models[0]!, size }];
    expect(() => inventoryLines(one(1.5), 'h', '1')).toThrow(RangeError);
    expect(() => inventoryLines(one(-1), 'h', '1')).toThrow(RangeError);
    expect(() => inventoryLines(models, 'h', '1.7e18')).toThrow(RangeError);
    expect(() => inventoryLines(models, '', '1')).toThrow(RangeError);
  });
});
