// The operator's version, from package.json. The bundle (npm run build) inlines it, so the image carries
// the version it was built with: the Dockerfile sets it with `npm pkg set version=…` before building.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
