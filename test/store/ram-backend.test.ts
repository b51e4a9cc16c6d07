import { RamBackend } from '../../src/store/ram-backend';
import { describeBackendContract } from './backend-contract';

describe('RamBackend: the store contract', () => {
  const backend = new RamBackend();
  describeBackendContract({ backend: () => backend });
});
