import { describe } from 'vitest';
import { electronSkipReason, launchElectronCompanion } from '../../helpers/desktop.js';
import { companionWalkthrough } from './walkthrough.js';

const skipReason = electronSkipReason();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('the companion in the desktop app (Electron, _electron.launch)', () => {
  companionWalkthrough({ launch: launchElectronCompanion, screenshots: false });
});
