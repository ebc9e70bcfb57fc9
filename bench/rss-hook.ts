import fs from 'node:fs';

/** Preloaded with `node --import`: writes the process's peak RSS (KiB) to $TIERWISE_RSS_FILE on exit. */
const file = process.env.TIERWISE_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
