// The benchmark worker's workflows: the product's teamRun beside the floor workflow.
export { teamRun } from '../workflows';
export { floorRun } from './floor-workflow';
