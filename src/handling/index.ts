/** The case lifecycle after intake. This slice: routing, regime clocks and registration into the work queue. */
export { createRegistrar, type Registrar, type RegistrarConfig, type RegistrationInput } from './registrar.js';
export { routeToTeam, type RoutingConfig } from './routing.js';
export { computeDeadlines, dueDate, type ComputedDeadline } from './deadlines.js';
export { REGIME_CLOCKS, type ClockRule } from './regimes.js';
export { createAssignment, type Assignment } from './assignment.js';
