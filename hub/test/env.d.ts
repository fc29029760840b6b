import type { D1Migration } from 'cloudflare:test';
import type { HubBindings } from '../src/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends HubBindings {
      TEST_MIGRATIONS: D1Migration[];
      POURCAST_SOAK: string;
    }
    interface GlobalProps {
      mainModule: typeof import('../src/index.ts');
    }
  }
}
