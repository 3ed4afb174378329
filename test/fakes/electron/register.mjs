// `node --import ./test/fakes/electron/register.mjs …`: plain Node resolves `electron` to the stand-in.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
