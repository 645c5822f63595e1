// Servers nobody here wrote, run as child processes on 127.0.0.1 for the length of a test
// file: started, waited for until they listen, and stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface Child {
  output(): string;
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPorts(ports: number[], child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    while (!(await listening(port))) {
      if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited: ${output()}`);
      if (Date.now() > deadline)
        throw new Error(`${child.spawnfile} did not listen on ${port}: ${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Runs `binary` and resolves once every port in `ports` accepts connections. */
export async function startProcess(
  binary: string,
  args: string[],
  ports: number[],
  env?: NodeJS.ProcessEnv,
): Promise<Child> {
  let text = '';
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env && { env }) });
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  child.on('error', (error) => (text += String(error)));
  await waitForPorts(ports, child, () => text);
  return {
    output: () => text,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
