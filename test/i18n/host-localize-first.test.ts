/**
 * A host page that configures @lit/localize itself *before* it imports the library (the order
 * of the imports below is the order of evaluation): the library loads, and both sets of strings
 * work, each in its own language. Before issue 17 the import threw "lit-localize can only be
 * configured once".
 */
import { hostGreeting, hostLocalize } from '../helpers/host-lit-localize.js';
import '../../src/define.js';
import { checkCoexistence } from './coexist.js';

describe('a host page that uses @lit/localize, configured before the library loads', () => {
  it('keeps its own strings and locale; the library speaks its own languages', async () => {
    await checkCoexistence(hostLocalize, hostGreeting);
  });
});
