await import(process.argv[2]);
for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 500)); }
const m = process.memoryUsage();
console.log(process.execArgv.join(' '), 'rss', (m.rss / 1e6).toFixed(1), 'heapTotal', (m.heapTotal / 1e6).toFixed(1), 'heapUsed', (m.heapUsed / 1e6).toFixed(1), 'external', (m.external/1e6).toFixed(1));
