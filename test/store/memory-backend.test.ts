import { MemoryBackend } from '../../src/store/memory-backend';
import { describeBackendContract } from './backend-contract';

describe('MemoryBackend: the store contract', () => {
  const backend = new MemoryBackend();
  describeBackendContract({ backend: () => backend });
});
