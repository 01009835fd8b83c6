// Starts the Azure simulator over HTTPS: a certificate for localhost/127.0.0.1 is generated at start
// (selfsigned) and handed back as `caPem`, which the provider's simulator config passes to the client, so
// the test or demo process trusts it in-process (no NODE_EXTRA_CA_CERTS, no restart). HTTPS is required:
// @azure/identity refuses a non-https authority. Graph, ARM and the Entra authority share one origin.
import selfsigned from 'selfsigned';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator/server.ts';
import type { Fault } from '../../../src/simulator/faults.ts';
import { azureNextPage, azureRoutes } from './routes.ts';
import type { AzureScenario } from './scenario.ts';

export type AzureSimulatorHandle = SimulatorHandle & { caPem: string };

export async function startAzureSimulator(s: AzureScenario, opts: { faults?: Fault[]; port?: number } = {}): Promise<AzureSimulatorHandle> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', curve: 'P-256', notAfterDate: new Date(Date.now() + 7 * 86400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  let handle: SimulatorHandle | undefined;
  const routes = azureRoutes(s, {
    faults: () => handle?.faults ?? [],
    logSub: (e) => handle?.log.push({ at: Date.now(), ...e }),
  });
  handle = await startSimulator({ name: 'azure', routes, faults: opts.faults, port: opts.port, tls: { key: pems.private, cert: pems.cert }, nextPage: azureNextPage });
  return Object.assign(handle, { caPem: pems.cert });
}
