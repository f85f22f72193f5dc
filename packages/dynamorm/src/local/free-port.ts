import { createServer } from 'node:net';

const HOST = '127.0.0.1';

/** Resolves once `port` (0: any) could be bound on 127.0.0.1, with the port the OS gave. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
}

/**
 * A port that was free a moment ago. Another process may still take it before DynamoDB Local
 * binds it; the caller retries with a new port when that happens.
 */
export async function findFreePort(attempts = 5): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenOnce(0);
    } catch (error) {
      if (!isAddressInUse(error) || attempt >= attempts) throw error;
    }
  }
}

/** Whether `port` can be bound now: checked before using a port the caller chose. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch (error) {
    if (isAddressInUse(error)) return false;
    throw error;
  }
}
