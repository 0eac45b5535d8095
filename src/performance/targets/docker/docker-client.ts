// The connection to the Docker Engine (dockerode), and whether it answers.
// dockerode reads DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) itself.
import Docker from "dockerode";
import type { Availability } from "../types.js";

const PING_TIMEOUT_MS = 5000;
const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

export function dockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
}

export class DockerClient {
  readonly docker: Docker;
  private availability?: Promise<Availability>;

  constructor(docker = new Docker(), private readonly host = dockerHost()) {
    this.docker = docker;
  }

  /** Pings the daemon once per client; every Docker-built target asks. */
  checkAvailable(): Promise<Availability> {
    this.availability ??= this.ping();
    return this.availability;
  }

  private async ping(): Promise<Availability> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer after ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.docker.ping(), timeout]);
      return { available: true };
    } catch (error) {
      return { available: false, reason: unreachableMessage(this.host, error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

export function unreachableMessage(host: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return (
    `the Docker daemon is not reachable at ${host} (${why}). ` +
    "Start it (sudo systemctl start docker, or sudo dockerd &), check that you may use its socket (the docker group), " +
    "or set DOCKER_HOST to where it listens (e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock for rootless Docker)"
  );
}

let shared: DockerClient | undefined;

/** The process-wide client, created on first use. */
export function sharedDockerClient(): DockerClient {
  shared ??= new DockerClient();
  return shared;
}
