import { CliError } from './readFiles.ts';

export interface ServeOptions {
  host: string;
  port: number;
}

/** Serves the visualizer. */
export async function serve(options: ServeOptions): Promise<void> {
  throw new CliError(`the visualizer is not available yet (asked to serve on ${options.host}:${options.port})`);
}
