import type { ZuoraTenantFixture } from '../fixtures/types.js';
import { TenantState, type ClientAccess } from './tenant-state.js';

/** Every tenant of the simulator, with the lookups that cross tenants: clients and entity owners. */
export class ZuoraState {
  readonly tenants: TenantState[];
  private readonly clients = new Map<string, ClientAccess>();

  constructor(fixtures: { tenants: ZuoraTenantFixture[] }) {
    this.tenants = fixtures.tenants.map((fixture) => new TenantState(fixture));
    for (const tenant of this.tenants) {
      for (const client of tenant.clients) this.clients.set(client.clientId, client);
    }
  }

  client(clientId: string): ClientAccess | undefined {
    return this.clients.get(clientId);
  }
}
