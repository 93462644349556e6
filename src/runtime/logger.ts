// winston logger: JSON lines in a cluster (or when asked), colourised single lines in a terminal.
import winston from 'winston';

export type Logger = winston.Logger;
export type LogFormat = 'json' | 'text' | 'auto';

export function createLogger(opts: { level?: string; format?: LogFormat } = {}): Logger {
  const format = resolveFormat(opts.format ?? 'auto');
  return winston.createLogger({
    level: opts.level ?? 'info',
    format:
      format === 'json'
        ? winston.format.combine(winston.format.timestamp(), winston.format.errors(), winston.format.json())
        : winston.format.combine(
            winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
            winston.format.colorize(),
            winston.format.printf(({ timestamp, level, message, ...rest }) => {
              const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
              return `${String(timestamp)} ${level} ${String(message)}${extra}`;
            }),
          ),
    // stderr keeps stdout free for command output (render, crds).
    transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
  });
}

function resolveFormat(format: LogFormat): 'json' | 'text' {
  if (format !== 'auto') return format;
  const inCluster = Boolean(process.env.KUBERNETES_SERVICE_HOST);
  return inCluster || !process.stderr.isTTY ? 'json' : 'text';
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true });
}
