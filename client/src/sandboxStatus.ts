/**
 * Whether the Docker engine answers, asked the way the sandbox talks to it (the engine API over its
 * socket, `GET /_ping`), asynchronously and with a deadline so the extension host never waits on it.
 */
import http from 'node:http';

/** The answer, with a sentence for the user. */
export type DockerStatus = { ready: true; detail: string } | { ready: false; detail: string };

/** Where the engine listens: DOCKER_HOST (unix:// or tcp://) or the default socket. */
export function dockerEndpoint(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): { socketPath: string } | { host: string; port: number } {
  const host = env.DOCKER_HOST?.trim();
  if (host !== undefined && host !== '') {
    if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
    if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') };
    const m = /^tcp:\/\/([^:/]+)(?::(\d+))?/.exec(host);
    if (m?.[1] !== undefined) return { host: m[1], port: Number(m[2] ?? 2375) };
  }
  return { socketPath: platform === 'win32' ? '\\\\.\\pipe\\docker_engine' : '/var/run/docker.sock' };
}

/** Pings the engine; resolves (never rejects) within `timeoutMs`. */
export function pingDocker(env: NodeJS.ProcessEnv, timeoutMs = 3000): Promise<DockerStatus> {
  return new Promise((resolve) => {
    const endpoint = dockerEndpoint(env);
    const request = http.request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (response) => {
      response.resume();
      const ok = response.statusCode === 200;
      resolve(ok ? { ready: true, detail: 'The Docker engine answers: installs run in the locked-down container sandbox.' }
        : { ready: false, detail: `The Docker engine answered with HTTP ${String(response.statusCode)}.` });
    });
    request.once('timeout', () => request.destroy(new Error('timed out')));
    request.once('error', (error: NodeJS.ErrnoException) => {
      const where = 'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`;
      const why = error.code === 'ENOENT' ? 'no Docker engine socket' : error.code === 'EACCES' ? 'no permission to use the Docker socket' : error.message;
      resolve({ ready: false, detail: `Docker is not reachable at ${where} (${why}).` });
    });
    request.end();
  });
}
