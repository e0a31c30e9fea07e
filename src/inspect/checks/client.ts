import type { Settings } from '../../config.js';
import { show } from '../../report/format.js';
import { reason } from '../../report/report.js';
import { describeClient } from '../../report/microsoft-apps.js';
import type { Findings } from '../findings.js';

/** The calling app (`azp` v2, `appid` v1) against TOKEN_ECHO_CLIENT_IDS: Microsoft's claims-validation guidance, "validate the client". */
export function checkClient(client: string | null, settings: Settings, f: Findings): void {
  const found = client ?? 'no azp or appid';
  if (settings.clientIds.length === 0) {
    f.set('client', 'skip', { found, detail: 'TOKEN_ECHO_CLIENT_IDS is not set: any calling app is accepted' });
    return;
  }
  const expected = settings.clientIds.join(' or ');
  if (client !== null && settings.clientIds.includes(client.toLowerCase())) {
    f.set('client', 'pass', { expected, found });
    return;
  }
  const known = client === null ? null : describeClient(client);
  const name = known === null ? '' : ` (${known.name}: ${known.note})`;
  f.fail('client', reason('CLIENT_NOT_ALLOWED', `the calling app ${client === null ? '(no azp/appid claim)' : show(client)}${name} is not in TOKEN_ECHO_CLIENT_IDS.`), { expected, found });
}
