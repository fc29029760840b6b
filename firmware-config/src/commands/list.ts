import { printJson, type Command } from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';

export interface ListedDevice {
  id: string;
  kind: string;
  model: string;
  revoked: boolean;
  state: string;
  lastStatusAt: string | null;
  firmware: string | null;
  slots: Array<{ platform: number; itemId: string }>;
  config: {
    configVersion: number;
    ackedVersion: number | null;
    pending: boolean;
    lastError: string | null;
  } | null;
  /** Platforms whose empty reading crept away from 0 g. */
  drift?: Array<{ platform: number; emptyG: number; since: string | null }>;
}

function configText(config: ListedDevice['config']): string {
  if (!config) return '-';
  if (!config.pending) return `v${config.configVersion}`;
  return `v${config.configVersion} pending${config.lastError ? ` (${config.lastError})` : ''}`;
}

export const listCommand: Command = {
  name: 'list',
  summary: "the gateway's devices: online/offline, config version (pending until acknowledged), slots",
  usage: `Usage: pourcast-config list

One line per device: id, kind, model, state (online, offline, unknown, revoked), last status time,
config version (pending until the device acknowledges it) and platform → item mapping.

${GATEWAY_OPTIONS_USAGE}`,
  options: { ...gatewayOptions },
  async run({ values, out, env }) {
    const target = await resolveGateway(values, env, out);
    const { devices } = (await gatewayRequest(target, 'GET', '/devices')) as { devices: ListedDevice[] };
    if (values.json) return (printJson(out, { devices }), 0);
    if (devices.length === 0) out.stdout('no devices\n');
    for (const d of devices) {
      const state = d.revoked ? 'revoked' : d.state;
      const slots = d.slots.map((s) => `${s.platform}→${s.itemId}`).join(' ') || '-';
      const drift = (d.drift ?? []).map(
        (p) =>
          `\tdrift: platform ${p.platform} reads ${p.emptyG > 0 ? '+' : ''}${p.emptyG} g empty, recalibrate`,
      );
      out.stdout(
        `${d.id}\t${d.kind}\t${d.model}\t${state}\t${d.lastStatusAt ?? '-'}\tconfig ${configText(d.config)}\tslots ${slots}${drift.join('')}\n`,
      );
    }
    return 0;
  },
};
