import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { DockerClient, dockerHost } from "./docker-client.js";

describe("DockerClient", () => {
  it("explains an unreachable daemon: how to start it and DOCKER_HOST", async () => {
    const host = "unix:///nonexistent.sock";
    const client = new DockerClient(new Docker({ socketPath: "/nonexistent.sock" }), host);
    const availability = await client.checkAvailable();
    expect(availability.available).toBe(false);
    expect(availability.reason).toMatch(/the Docker daemon is not reachable at unix:\/\/\/nonexistent\.sock \(.*ENOENT.*\)/);
    expect(availability.reason).toMatch(/systemctl start docker/);
    expect(availability.reason).toMatch(/DOCKER_HOST/);
  });

  it("reads DOCKER_HOST, with Docker's default socket otherwise", () => {
    expect(dockerHost({ DOCKER_HOST: "tcp://10.0.0.1:2375" })).toBe("tcp://10.0.0.1:2375");
    expect(dockerHost({})).toBe("unix:///var/run/docker.sock");
  });
});
