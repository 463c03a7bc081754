// Runs the store contract suite against every backend in store-factories.ts.
import { deviceContract } from './contract/devices.js';
import { jobContract } from './contract/jobs.js';
import { recordsContract } from './contract/records.js';
import { transactionContract } from './contract/transactions.js';
import { treeContract } from './contract/tree.js';
import { storeFactories } from './store-factories.js';

for (const factory of storeFactories) {
  deviceContract(factory);
  treeContract(factory);
  jobContract(factory);
  recordsContract(factory);
  transactionContract(factory);
}
