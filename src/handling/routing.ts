/**
 * Routing: which staff team owns a complaint, from the configurable product → team map.
 */
import type { Product } from '../contracts/index.js';

export interface RoutingConfig {
  productTeams: Partial<Record<Product, string>>;
  defaultTeam: string;
}

export function routeToTeam(product: Product, config: RoutingConfig): string {
  return config.productTeams[product] ?? config.defaultTeam;
}
