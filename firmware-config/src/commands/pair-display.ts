import { formatIssues, pairingCodeSchema } from '@pourcast/protocol';
import { CliError, printJson, type Command } from '../cli-kit.ts';
import { GATEWAY_OPTIONS_USAGE, gatewayOptions, gatewayRequest, resolveGateway } from '../gateway-client.ts';

export const pairDisplayCommand: Command = {
  name: 'pair-display',
  summary: 'a one-time code (8 digits, 10 min) for pairing a staff screen with the gateway',
  usage: `Usage: pourcast-config pair-display

Asks the gateway for a one-time pairing code for a staff screen (POST /api/v1/staff/pairing-codes with the
gateway admin token). Open the gateway's address on the screen behind the bar, type the code and a name
for the screen ("back bar tablet"). The code works once and expires after 10 minutes; the screen keeps its
own token from then on. Each run issues a new code.

${GATEWAY_OPTIONS_USAGE}

Exit codes: 0 the code is printed, 1 the gateway cannot be reached or failed, 2 bad options or the admin
token was refused.`,
  options: { ...gatewayOptions },
  async run({ values, out, env }) {
    const target = await resolveGateway(values, env, out);
    const answer = await gatewayRequest(target, 'POST', '/staff/pairing-codes');
    if (target.dryRun) return 0;
    const parsed = pairingCodeSchema.safeParse(answer);
    if (!parsed.success)
      throw new CliError(
        'the gateway answered something other than a pairing code',
        formatIssues(parsed.error),
      );
    if (values.json) return (printJson(out, parsed.data), 0);
    const { code, expiresAt } = parsed.data;
    out.stdout(
      `pairing code ${code} (valid until ${expiresAt}, once)\n` +
        `On the staff screen open ${target.url}/ and type the code and a name for the screen.\n`,
    );
    return 0;
  },
};
