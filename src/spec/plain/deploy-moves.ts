// Like all of spec/plain/, no Zod here: core and the workflows load these at run time.
import type { DeploysSpec } from '../deploys';

/** Whether a run moves to a new current build at its safe points (`deploys.move`, default yes). */
export function movesToNewBuilds(deploys: DeploysSpec | undefined): boolean {
  return (deploys?.move ?? 'at-safe-points') === 'at-safe-points';
}
