import { startLocalHost } from '../src/host/local-host.js';
import { packageRoot } from '../src/package-info.js';

/**
 * Memory under a long run, in one process with --expose-gc: the app under the local host, called
 * over loopback, the heap measured after 1,000 and after 100,000 calls, with the history at its bound.
 */
declare const gc: () => void;

async function main(): Promise<void> {
  const host = await startLocalHost({ appDir: packageRoot(), port: 0, key: 'bench', log: () => undefined });
  const url = `${host.url.replace('localhost', '127.0.0.1')}/api/echo`;
  const headers = { authorization: `Bearer ${process.env['BENCH_TOKEN'] ?? ''}` };
  let done = 0;
  const run = async (total: number): Promise<void> => {
    const worker = async (): Promise<void> => {
      while (done < total) {
        done += 1;
        await (await fetch(url, { headers })).arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
  };
  const heap = (): number => {
    gc();
    gc();
    return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
  };
  await run(1_000);
  const heapAfter1kMiB = heap();
  await run(100_000);
  const heapAfter100kMiB = heap();
  await host.close();
  process.stdout.write(`${JSON.stringify({ calls: done, heapAfter1kMiB, heapAfter100kMiB })}\n`);
  process.exit(0);
}

void main();
